package dev.roster.sso.web;

import java.util.ArrayList;
import java.util.List;

import dev.roster.sso.access.SsoBreakGlass;

/** What enforcing single sign-on does to password sign-in, in words, for the confirmation before it. */
final class EnforcementWarning {

    private EnforcementWarning() {
    }

    static List<String> lines(SsoBreakGlass.Impact impact) {
        List<String> lines = new ArrayList<>();
        if (impact.domains().isEmpty()) {
            return lines;
        }
        long losing = impact.losingPasswordSignIn();
        lines.add(losing == 0 ? "Nobody loses password sign-in."
                : losing + (losing == 1 ? " person" : " people") + " with a password at "
                        + (impact.domains().size() == 1 ? impact.domains().get(0) : "these domains")
                        + " will no longer be able to sign in with it.");
        if (impact.adminsKeepingBreakGlass() > 0) {
            lines.add(impact.adminsKeepingBreakGlass() + (impact.adminsKeepingBreakGlass() == 1 ? " admin keeps"
                    : " admins keep") + " signing in with a password and second factor, as a way back if the "
                    + "identity provider fails.");
        }
        if (impact.adminsWithoutSecondFactor() > 0) {
            lines.add(impact.adminsWithoutSecondFactor() + (impact.adminsWithoutSecondFactor() == 1 ? " admin has"
                    : " admins have") + " no second factor and will lose password sign-in: they should set up "
                    + "two-factor authentication first.");
        }
        if (!impact.breakGlass()) {
            lines.add("This organization removed the admins' password sign-in: admins, too, sign in only through "
                    + "single sign-on.");
        }
        return lines;
    }
}
