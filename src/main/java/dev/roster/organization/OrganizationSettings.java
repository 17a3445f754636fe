package dev.roster.organization;

import jakarta.validation.constraints.Size;

/** A change to an organization's settings; a null field is left as it is. */
public record OrganizationSettings(@Size(min = 1, max = 200) String name, Boolean requireTwoFactor) {
}
