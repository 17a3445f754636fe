package dev.roster.organization;

import jakarta.validation.constraints.Size;

/**
 * A change to an organization's settings; a null field is left as it is. {@code gettingStartedUrl}: an HTTPS page
 * for newcomers, linked from their onboarding checklist; an empty string removes it.
 */
public record OrganizationSettings(@Size(min = 1, max = 200) String name, Boolean requireTwoFactor,
                                   @Size(max = 2000) String gettingStartedUrl) {

    public OrganizationSettings(String name, Boolean requireTwoFactor) {
        this(name, requireTwoFactor, null);
    }
}
