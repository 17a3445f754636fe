package dev.roster.scim.security;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import dev.roster.scim.directory.ScimDirectoryService;

/** A request authenticated by a SCIM directory token; the principal is the directory (and the token used). */
final class ScimAuthentication extends AbstractAuthenticationToken {

    static final String AUTHORITY = "SCIM_DIRECTORY";

    private final ScimDirectoryService.Caller caller;

    ScimAuthentication(ScimDirectoryService.Caller caller) {
        super(List.of(new SimpleGrantedAuthority(AUTHORITY)));
        this.caller = caller;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public ScimDirectoryService.Caller getPrincipal() {
        return caller;
    }
}
