package dev.roster.resource.web;

import java.util.List;
import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.roster.resource.QuotaUsage;
import dev.roster.resource.Quotas;
import dev.roster.shared.OrgContext;

/** Team quotas on environments, for admins: set, read and remove one; a team's quotas; an environment's usage. */
@RestController
class QuotasApiController {

    private final Quotas quotas;

    QuotasApiController(Quotas quotas) {
        this.quotas = quotas;
    }

    record QuotaChange(Integer maxConcurrent) {
    }

    /** One team's quota on one environment and its use now; {@code maxConcurrent} null means unlimited. */
    record QuotaView(UUID team, String teamName, UUID environment, String environmentName, Integer maxConcurrent,
                     boolean fromDefault, long inUse, Long remaining) {

        static QuotaView of(QuotaUsage usage) {
            return new QuotaView(usage.teamId(), usage.teamName(), usage.environmentId(), usage.environmentName(),
                    usage.maxConcurrent(), usage.fromDefault(), usage.inUse(), usage.remaining());
        }
    }

    record QuotaList(List<QuotaView> items) {
    }

    record EnvironmentQuotas(UUID environment, Integer defaultTeamQuota, List<QuotaView> teams) {
    }

    @PutMapping("/api/v1/orgs/{slug}/teams/{teamId}/quotas/{environmentId}")
    QuotaView set(OrgContext org, @PathVariable UUID teamId, @PathVariable UUID environmentId,
                  @RequestBody QuotaChange body) {
        return QuotaView.of(quotas.set(org.organizationId(), teamId, environmentId, body.maxConcurrent(),
                org.actor()));
    }

    @GetMapping("/api/v1/orgs/{slug}/teams/{teamId}/quotas/{environmentId}")
    QuotaView get(OrgContext org, @PathVariable UUID teamId, @PathVariable UUID environmentId) {
        return QuotaView.of(quotas.get(org.organizationId(), teamId, environmentId));
    }

    @DeleteMapping("/api/v1/orgs/{slug}/teams/{teamId}/quotas/{environmentId}")
    ResponseEntity<Void> delete(OrgContext org, @PathVariable UUID teamId, @PathVariable UUID environmentId) {
        quotas.delete(org.organizationId(), teamId, environmentId, org.actor());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/v1/orgs/{slug}/teams/{teamId}/quotas")
    QuotaList ofTeam(OrgContext org, @PathVariable UUID teamId) {
        return new QuotaList(quotas.ofTeam(org.organizationId(), teamId).stream().map(QuotaView::of).toList());
    }

    /** The environment's default and every team with a quota of its own or a lease there now. */
    @GetMapping("/api/v1/orgs/{slug}/resources/{id}/quotas")
    EnvironmentQuotas onEnvironment(OrgContext org, @PathVariable UUID id) {
        List<QuotaView> teams = quotas.onEnvironment(org.organizationId(), id).stream().map(QuotaView::of).toList();
        return new EnvironmentQuotas(id, quotas.defaultQuota(org.organizationId(), id), teams);
    }
}
