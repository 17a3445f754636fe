package dev.roster.security;

import java.security.Principal;

/** Whoever presented the operator token. Not a person: no account, no organization, no session. */
enum OperatorPrincipal implements Principal {
    INSTANCE;

    @Override
    public String getName() {
        return "operator";
    }
}
