package dev.roster.resource.web;

import java.net.URI;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.roster.resource.Resource;
import dev.roster.resource.ResourceAccess;
import dev.roster.resource.ResourceKind;
import dev.roster.resource.ResourceService;
import dev.roster.shared.MemberAccess;
import dev.roster.shared.OrgContext;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.shared.web.WireNames;

/**
 * The caller's own view of resources, open to every active member: what they reach (with why), and their personal
 * resources, which they create and delete themselves. The owner of a resource made here is always the caller.
 */
@RestController
@MemberAccess
@RequestMapping("/api/v1/orgs/{slug}/me/resources")
class MyResourcesApiController {

    private final ResourceAccess access;
    private final ResourceService resources;

    MyResourcesApiController(ResourceAccess access, ResourceService resources) {
        this.access = access;
        this.resources = resources;
    }

    record NewPersonalResource(@NotBlank(message = "kind is required.") String kind,
                               @NotBlank(message = "A resource needs a name.")
                               @Size(max = 200, message = "A resource name has at most 200 characters.")
                               String name) {
    }

    @GetMapping
    PageResult<ResourceView.Reachable> reachable(OrgContext org, @RequestParam(required = false) String kind,
                                                 @RequestParam(required = false) Integer page,
                                                 @RequestParam(required = false) Integer size) {
        return access.accessible(org.organizationId(), org.membershipId(),
                WireNames.parse(ResourceKind.class, kind, "kind"), PageQuery.of(page, size))
                .map(r -> ResourceView.Reachable.of(r, org));
    }

    @PostMapping
    ResponseEntity<ResourceView> createPersonal(OrgContext org, @Valid @RequestBody NewPersonalResource body) {
        Resource created = resources.createPersonal(org.organizationId(), org.membershipId(),
                WireNames.parse(ResourceKind.class, body.kind(), "kind"), body.name(), org.actor());
        return ResponseEntity.created(URI.create("/api/v1/orgs/" + org.slug() + "/resources/" + created.id()))
                .body(ResourceView.of(created, org));
    }

    /** 403 {@code not-your-resource} unless the resource is the caller's personal one. */
    @DeleteMapping("/{id}")
    ResponseEntity<Void> deletePersonal(OrgContext org, @PathVariable UUID id) {
        resources.deletePersonal(org.organizationId(), org.membershipId(), id, org.actor());
        return ResponseEntity.noContent().build();
    }
}
