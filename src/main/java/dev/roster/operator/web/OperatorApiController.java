package dev.roster.operator.web;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.roster.invitation.InviteResult;
import dev.roster.operator.OperatorService;
import dev.roster.organization.Organization;
import dev.roster.organization.OrganizationService;
import dev.roster.shared.Actor;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.OperatorAccess;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;

/**
 * The operator API ({@code ROSTER_OPERATOR_TOKEN} only): organizations created, listed, deleted and restored. Changing
 * an organization's name or two-factor requirement is {@code PATCH /api/v1/orgs/{slug}}, shared with its admins.
 */
@RestController
@RequestMapping("/api/v1/orgs")
@OperatorAccess
@Tag(name = "Operator", description = "For those who run Roster for many customers: the operator token only")
class OperatorApiController {

    private final OperatorService operator;
    private final OrganizationService organizations;

    OperatorApiController(OperatorService operator, OrganizationService organizations) {
        this.operator = operator;
        this.organizations = organizations;
    }

    record CreateRequest(String slug, String name, String adminEmail) {
    }

    /** {@code status}: active or deleted; {@code purgeAfter}: when a deleted organization's data goes. */
    record OrganizationView(UUID id, String slug, String name, boolean requireTwoFactor, String status,
                            Instant createdAt, Instant updatedAt, Instant deletedAt, Instant purgeAfter) {
    }

    record CreatedView(OrganizationView organization, InviteResult adminInvitation) {
    }

    @PostMapping
    @Operation(summary = "Create an organization and invite its first admin",
            responses = {@ApiResponse(responseCode = "201", description = "Created; the admin is emailed an invitation"),
                    @ApiResponse(responseCode = "400", description = "Invalid slug, name or adminEmail"),
                    @ApiResponse(responseCode = "401", description = "No or wrong operator token"),
                    @ApiResponse(responseCode = "403", description = "A personal API token, not the operator token"),
                    @ApiResponse(responseCode = "409", description = "The slug is taken (also by a deleted organization)")})
    ResponseEntity<CreatedView> create(@RequestBody CreateRequest request) {
        OperatorService.Created created = operator.create(request.slug(), request.name(), request.adminEmail(),
                Actor.operator());
        return ResponseEntity.created(URI.create("/api/v1/orgs/" + created.organization().slug()))
                .body(new CreatedView(view(created.organization()), created.invitation()));
    }

    @GetMapping
    @Operation(summary = "List organizations, live and deleted, by slug",
            responses = {@ApiResponse(responseCode = "200", description = "A page of organizations"),
                    @ApiResponse(responseCode = "400", description = "Bad status, page or size"),
                    @ApiResponse(responseCode = "401", description = "No or wrong operator token"),
                    @ApiResponse(responseCode = "403", description = "A personal API token, not the operator token")})
    PageResult<OrganizationView> list(@RequestParam(required = false) String status,
                                      @RequestParam(required = false) Integer page,
                                      @RequestParam(required = false) Integer size) {
        Boolean deleted;
        if (status == null || status.isBlank()) {
            deleted = null;
        }
        else if ("active".equals(status)) {
            deleted = false;
        }
        else if ("deleted".equals(status)) {
            deleted = true;
        }
        else {
            throw InvalidRequestException.field("status", "status is active or deleted.");
        }
        return organizations.list(deleted, PageQuery.of(page, size)).map(this::view);
    }

    record AdminInvitationRequest(String adminEmail) {
    }

    @PostMapping("/{slug}/admin-invitations")
    @Operation(summary = "Invite an admin to an organization (a first admin whose invitation lapsed, say)",
            responses = {@ApiResponse(responseCode = "200", description = "invited, already_invited or already_member"),
                    @ApiResponse(responseCode = "400", description = "Invalid adminEmail"),
                    @ApiResponse(responseCode = "401", description = "No or wrong operator token"),
                    @ApiResponse(responseCode = "403", description = "A personal API token, not the operator token"),
                    @ApiResponse(responseCode = "404", description = "No live organization has this slug")})
    InviteResult inviteAdmin(@PathVariable String slug, @RequestBody AdminInvitationRequest request) {
        return operator.inviteAdmin(slug, request.adminEmail(), Actor.operator());
    }

    @DeleteMapping("/{slug}")
    @Operation(summary = "Delete an organization: access ends at once, data is purged after the retention period",
            responses = {@ApiResponse(responseCode = "200", description = "Deleted; purgeAfter says until when it can be restored"),
                    @ApiResponse(responseCode = "401", description = "No or wrong operator token"),
                    @ApiResponse(responseCode = "403", description = "A personal API token, not the operator token"),
                    @ApiResponse(responseCode = "404", description = "No live organization has this slug")})
    OrganizationView delete(@PathVariable String slug) {
        return view(organizations.delete(slug, Actor.operator()));
    }

    @PostMapping("/{slug}/restore")
    @Operation(summary = "Restore a deleted organization within the retention period",
            responses = {@ApiResponse(responseCode = "200", description = "Restored as it was"),
                    @ApiResponse(responseCode = "401", description = "No or wrong operator token"),
                    @ApiResponse(responseCode = "403", description = "A personal API token, not the operator token"),
                    @ApiResponse(responseCode = "404", description = "No organization has this slug"),
                    @ApiResponse(responseCode = "409", description = "Not deleted, or its retention period has ended")})
    OrganizationView restore(@PathVariable String slug) {
        return view(organizations.restore(slug, Actor.operator()));
    }

    private OrganizationView view(Organization org) {
        return new OrganizationView(org.id(), org.slug(), org.name(), org.requireTwoFactor(),
                org.deleted() ? "deleted" : "active", org.createdAt(), org.updatedAt(), org.deletedAt(),
                organizations.purgeAfter(org));
    }
}
