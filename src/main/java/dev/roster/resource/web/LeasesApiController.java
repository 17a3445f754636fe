package dev.roster.resource.web;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.roster.resource.Lease;
import dev.roster.resource.Leases;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.OrgContext;

/**
 * Leases, for the host application (an admin's token): take one of a team's places on an environment for a person,
 * renew it, give it back, and list what is held. A lease that is not renewed frees its place when it expires.
 */
@RestController
@RequestMapping("/api/v1/orgs/{slug}/leases")
class LeasesApiController {

    private final Leases leases;

    LeasesApiController(Leases leases) {
        this.leases = leases;
    }

    record NewLease(UUID environment, UUID account, UUID team, Long ttlSeconds) {
    }

    record Renewal(Long ttlSeconds) {
    }

    record LeaseView(UUID id, UUID environment, UUID team, String teamName, UUID account, UUID member, String email,
                     Instant acquiredAt, Instant expiresAt, Long remaining) {

        static LeaseView of(Lease lease, Long remaining) {
            return new LeaseView(lease.id(), lease.environmentId(), lease.teamId(), lease.teamName(),
                    lease.accountId(), lease.membershipId(), lease.email(), lease.acquiredAt(), lease.expiresAt(),
                    remaining);
        }
    }

    record LeaseList(List<LeaseView> items) {
    }

    /** 201 with the lease; 409 {@code quota-exhausted} with each team's usage when no team has room. */
    @PostMapping
    ResponseEntity<LeaseView> acquire(OrgContext org, @RequestBody NewLease body) {
        if (body.environment() == null) {
            throw InvalidRequestException.field("environment", "environment (an environment's id) is required.");
        }
        if (body.account() == null) {
            throw InvalidRequestException.field("account", "account (the person's account id) is required.");
        }
        Leases.Acquired acquired = leases.acquire(org.organizationId(), body.environment(), body.account(),
                body.team(), body.ttlSeconds());
        return ResponseEntity.created(URI.create("/api/v1/orgs/" + org.slug() + "/leases/" + acquired.lease().id()))
                .body(LeaseView.of(acquired.lease(), acquired.remaining()));
    }

    @GetMapping("/{id}")
    LeaseView get(OrgContext org, @PathVariable UUID id) {
        return LeaseView.of(leases.get(org.organizationId(), id), null);
    }

    /** 409 {@code lease-expired} once expired; 403 {@code no-access} when the person no longer reaches it. */
    @PostMapping("/{id}/renew")
    LeaseView renew(OrgContext org, @PathVariable UUID id, @RequestBody(required = false) Renewal body) {
        return LeaseView.of(leases.renew(org.organizationId(), id, body == null ? null : body.ttlSeconds()), null);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> release(OrgContext org, @PathVariable UUID id) {
        leases.release(org.organizationId(), id);
        return ResponseEntity.noContent().build();
    }

    /** Leases held now, soonest to expire first (at most 1,000). */
    @GetMapping
    LeaseList held(OrgContext org, @RequestParam(required = false) UUID environment,
                   @RequestParam(required = false) UUID team) {
        return new LeaseList(leases.held(org.organizationId(), environment, team, 1000).stream()
                .map(l -> LeaseView.of(l, null)).toList());
    }
}
