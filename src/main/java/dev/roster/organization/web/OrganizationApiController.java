package dev.roster.organization.web;

import java.time.Instant;
import java.util.UUID;

import jakarta.validation.Valid;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.roster.organization.Organization;
import dev.roster.organization.OrganizationService;
import dev.roster.organization.OrganizationSettings;
import dev.roster.shared.OperatorAccess;
import dev.roster.shared.OrgContext;

/**
 * An organization's settings. Its admins (like every organization endpoint without {@code @MemberAccess}) and the
 * operator.
 */
@RestController
@RequestMapping("/api/v1/orgs/{slug}")
class OrganizationApiController {

    private final OrganizationService organizations;

    OrganizationApiController(OrganizationService organizations) {
        this.organizations = organizations;
    }

    record OrganizationView(UUID id, String slug, String name, boolean requireTwoFactor, String gettingStartedUrl,
                            Instant createdAt, Instant updatedAt) {

        static OrganizationView of(Organization org) {
            return new OrganizationView(org.id(), org.slug(), org.name(), org.requireTwoFactor(),
                    org.gettingStartedUrl(), org.createdAt(), org.updatedAt());
        }
    }

    @GetMapping
    @OperatorAccess(exclusive = false)
    OrganizationView get(OrgContext org) {
        return OrganizationView.of(organizations.get(org.organizationId()));
    }

    /** Changes the given fields; absent fields stay as they are. */
    @PatchMapping
    @OperatorAccess(exclusive = false)
    OrganizationView update(OrgContext org, @Valid @RequestBody OrganizationSettings settings) {
        return OrganizationView.of(organizations.updateSettings(org.organizationId(), settings, org.actor()));
    }
}
