package dev.roster.resource.web;

import java.net.URI;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.databind.JsonNode;

import dev.roster.resource.OwnerType;
import dev.roster.resource.Quotas;
import dev.roster.resource.Resource;
import dev.roster.resource.ResourceKind;
import dev.roster.resource.ResourceService;
import dev.roster.resource.ResourceService.ResourceFilter;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.OrgContext;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.shared.web.WireNames;

/** Every resource of the organization, for admins: create for any owner, list, rename, transfer, delete. */
@RestController
@RequestMapping("/api/v1/orgs/{slug}/resources")
class ResourcesApiController {

    private final ResourceService resources;
    private final Quotas quotas;

    ResourcesApiController(ResourceService resources, Quotas quotas) {
        this.resources = resources;
        this.quotas = quotas;
    }

    record NewResource(@NotBlank(message = "kind is required.") String kind,
                       @NotBlank(message = "A resource needs a name.")
                       @Size(max = 200, message = "A resource name has at most 200 characters.") String name,
                       @NotNull(message = "owner is required.") OwnerInput owner) {
    }

    /**
     * Absent (or null) fields stay as they are; a new owner transfers the resource. {@code defaultTeamQuota} (an
     * environment's quota for teams without their own): a number sets it, {@code null} clears it, absent keeps it.
     */
    record ResourceChange(@Size(max = 200, message = "A resource name has at most 200 characters.") String name,
                          OwnerInput owner, JsonNode defaultTeamQuota) {
    }

    @PostMapping
    ResponseEntity<ResourceView> create(OrgContext org, @Valid @RequestBody NewResource body) {
        Resource created = resources.create(org.organizationId(),
                WireNames.parse(ResourceKind.class, body.kind(), "kind"), body.name(),
                body.owner().resolve(org.organizationId()), org.actor());
        return ResponseEntity.created(URI.create("/api/v1/orgs/" + org.slug() + "/resources/" + created.id()))
                .body(ResourceView.of(created, org));
    }

    /** Filters: {@code kind}, {@code owner} (type), {@code team} and {@code member} (owner ids), {@code search}. */
    @GetMapping
    PageResult<ResourceView> list(OrgContext org, @RequestParam(required = false) String kind,
                                  @RequestParam(required = false) String owner,
                                  @RequestParam(required = false) UUID team,
                                  @RequestParam(required = false) UUID member,
                                  @RequestParam(required = false) String search,
                                  @RequestParam(required = false) Integer page,
                                  @RequestParam(required = false) Integer size) {
        ResourceFilter filter = new ResourceFilter(WireNames.parse(ResourceKind.class, kind, "kind"),
                WireNames.parse(OwnerType.class, owner, "owner"), team, member, search);
        return resources.list(org.organizationId(), filter, PageQuery.of(page, size))
                .map(r -> ResourceView.of(r, org));
    }

    @GetMapping("/{id}")
    ResourceView get(OrgContext org, @PathVariable UUID id) {
        return withQuota(resources.get(org.organizationId(), id), org);
    }

    @PatchMapping("/{id}")
    ResourceView update(OrgContext org, @PathVariable UUID id, @Valid @RequestBody ResourceChange body) {
        return withQuota(resources.update(org.organizationId(), id, body.name(),
                body.owner() == null ? null : body.owner().resolve(org.organizationId()),
                defaultQuota(body.defaultTeamQuota()), org.actor()), org);
    }

    private ResourceView withQuota(Resource resource, OrgContext org) {
        ResourceView view = ResourceView.of(resource, org);
        return resource.kind() == ResourceKind.ENVIRONMENT
                ? view.withDefaultTeamQuota(quotas.defaultQuota(org.organizationId(), resource.id())) : view;
    }

    private static ResourceService.DefaultQuota defaultQuota(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isNull()) {
            return new ResourceService.DefaultQuota(null);
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw InvalidRequestException.field("defaultTeamQuota", "defaultTeamQuota must be a whole number, or "
                    + "null to remove it.");
        }
        return new ResourceService.DefaultQuota(value.intValue());
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(OrgContext org, @PathVariable UUID id) {
        resources.delete(org.organizationId(), id, org.actor());
        return ResponseEntity.noContent().build();
    }
}
