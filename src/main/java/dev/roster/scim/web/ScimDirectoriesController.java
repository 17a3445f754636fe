package dev.roster.scim.web;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.roster.membership.TeamRole;
import dev.roster.scim.directory.ScimDirectory;
import dev.roster.scim.directory.ScimDirectoryService;
import dev.roster.scim.directory.ScimSettingsService;
import dev.roster.scim.directory.ScimToken;
import dev.roster.scim.provisioning.GroupMapping;
import dev.roster.scim.provisioning.GroupMappingService;
import dev.roster.scim.provisioning.UnlinkedUsers;
import dev.roster.scim.requestlog.RequestLogEntry;
import dev.roster.scim.requestlog.RequestLogService;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.OrgContext;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.shared.web.WireNames;

/**
 * The admin API for SCIM: directories and their tokens (secrets shown once), group-to-team mappings, the request
 * log, and the organization's SCIM settings. Admin-only, like every organization endpoint without
 * {@code @MemberAccess}.
 */
@RestController
@RequestMapping("/api/v1/orgs/{slug}")
class ScimDirectoriesController {

    private final ScimDirectoryService directories;
    private final ScimSettingsService settings;
    private final GroupMappingService mappings;
    private final RequestLogService requestLog;
    private final UnlinkedUsers unlinked;
    private final ScimRenderer renderer;

    ScimDirectoriesController(ScimDirectoryService directories, ScimSettingsService settings,
                              GroupMappingService mappings, RequestLogService requestLog, UnlinkedUsers unlinked,
                              ScimRenderer renderer) {
        this.directories = directories;
        this.unlinked = unlinked;
        this.settings = settings;
        this.mappings = mappings;
        this.requestLog = requestLog;
        this.renderer = renderer;
    }

    record CreateDirectory(String name, String kind, Integer requestsPerSecond) {
    }

    record TokenView(UUID id, Instant createdAt, Instant lastUsedAt, Instant revokedAt, boolean active) {

        static TokenView of(ScimToken token) {
            return new TokenView(token.id(), token.createdAt(), token.lastUsedAt(), token.revokedAt(), token.active());
        }
    }

    record DirectoryView(UUID id, String name, String kind, String tenantUrl, Integer requestsPerSecond,
                         Instant createdAt, List<TokenView> tokens) {
    }

    /** The answer to a create: the directory and, once only, the token's secret. */
    record CreatedDirectoryView(UUID id, String name, String kind, String tenantUrl, Integer requestsPerSecond,
                                Instant createdAt, UUID tokenId, String token) {
    }

    record IssuedTokenView(UUID id, Instant createdAt, String token, String tenantUrl) {
    }

    record GroupRef(String by, String value) {
    }

    record CreateMapping(@NotNull @Valid GroupRef group, List<String> teams, String role, Boolean admin) {
    }

    record MappingChange(String role) {
    }

    record MappingView(UUID id, GroupRef group, List<GroupMapping.TeamRef> teams, TeamRole role, boolean admin,
                       List<UUID> matchedGroups, Instant createdAt) {

        static MappingView of(GroupMappingService.MappingView view) {
            GroupMapping m = view.mapping();
            return new MappingView(m.id(), new GroupRef(m.matchBy().apiName(), m.matchValue()), m.teams(), m.role(),
                    m.admin(), view.matchedGroups(), m.createdAt());
        }
    }

    record Settings(String onDeactivate) {
    }

    @PostMapping("/scim-directories")
    @ResponseStatus(HttpStatus.CREATED)
    CreatedDirectoryView create(OrgContext org, @RequestBody CreateDirectory body) {
        var created = directories.create(org.organizationId(), body.name(), body.kind(), body.requestsPerSecond(),
                org.actor());
        ScimDirectory d = created.directory();
        return new CreatedDirectoryView(d.id(), d.name(), d.kind().apiName(), renderer.baseUrl(),
                d.requestsPerSecond(), d.createdAt(), created.token().token().id(), created.token().secret());
    }

    @GetMapping("/scim-directories")
    PageResult<DirectoryView> list(OrgContext org, @RequestParam(required = false) Integer page,
                                   @RequestParam(required = false) Integer size) {
        return directories.list(org.organizationId(), PageQuery.of(page, size)).map(d -> view(org, d));
    }

    @GetMapping("/scim-directories/{directoryId}")
    DirectoryView get(OrgContext org, @PathVariable UUID directoryId) {
        return view(org, directories.get(org.organizationId(), directoryId));
    }

    @DeleteMapping("/scim-directories/{directoryId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(OrgContext org, @PathVariable UUID directoryId) {
        directories.delete(org.organizationId(), directoryId, org.actor());
    }

    @PostMapping("/scim-directories/{directoryId}/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    IssuedTokenView issueToken(OrgContext org, @PathVariable UUID directoryId) {
        var issued = directories.issueToken(org.organizationId(), directoryId, org.actor());
        return new IssuedTokenView(issued.token().id(), issued.token().createdAt(), issued.secret(),
                renderer.baseUrl());
    }

    @DeleteMapping("/scim-directories/{directoryId}/tokens/{tokenId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revokeToken(OrgContext org, @PathVariable UUID directoryId, @PathVariable UUID tokenId) {
        directories.revokeToken(org.organizationId(), directoryId, tokenId, org.actor());
    }

    @GetMapping("/scim-directories/{directoryId}/group-mappings")
    PageResult<MappingView> mappings(OrgContext org, @PathVariable UUID directoryId,
                                     @RequestParam(required = false) Integer page,
                                     @RequestParam(required = false) Integer size) {
        return mappings.list(org.organizationId(), directoryId, PageQuery.of(page, size)).map(MappingView::of);
    }

    @PostMapping("/scim-directories/{directoryId}/group-mappings")
    @ResponseStatus(HttpStatus.CREATED)
    MappingView createMapping(OrgContext org, @PathVariable UUID directoryId, @Valid @RequestBody CreateMapping body) {
        return MappingView.of(mappings.create(org.organizationId(), directoryId, body.group().by(),
                body.group().value(), body.teams(), WireNames.parse(TeamRole.class, body.role(), "role"),
                Boolean.TRUE.equals(body.admin()), org.actor()));
    }

    /** Changes the team role the mapping gives; the members of its groups get it at once. */
    @PatchMapping("/scim-directories/{directoryId}/group-mappings/{mappingId}")
    MappingView changeMapping(OrgContext org, @PathVariable UUID directoryId, @PathVariable UUID mappingId,
                              @RequestBody MappingChange change) {
        TeamRole role = WireNames.parse(TeamRole.class, change.role(), "role");
        if (role == null) {
            throw InvalidRequestException.field("role", "Give the team role: member or maintainer.");
        }
        return MappingView.of(mappings.changeRole(org.organizationId(), directoryId, mappingId, role, org.actor()));
    }

    @GetMapping("/scim-directories/{directoryId}/group-mappings/{mappingId}")
    MappingView mapping(OrgContext org, @PathVariable UUID directoryId, @PathVariable UUID mappingId) {
        return MappingView.of(mappings.get(org.organizationId(), directoryId, mappingId));
    }

    @DeleteMapping("/scim-directories/{directoryId}/group-mappings/{mappingId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteMapping(OrgContext org, @PathVariable UUID directoryId, @PathVariable UUID mappingId) {
        mappings.delete(org.organizationId(), directoryId, mappingId, org.actor());
    }

    /**
     * The directory's users that Roster keeps linked to no member, with the reason (an address of a domain another
     * organization verified, an existing account whose owner has not accepted yet, no email): only what the directory
     * sent.
     */
    @GetMapping("/scim-directories/{directoryId}/unlinked-users")
    PageResult<UnlinkedUsers.UnlinkedUser> unlinkedUsers(OrgContext org, @PathVariable UUID directoryId,
                                                          @RequestParam(required = false) Integer page,
                                                          @RequestParam(required = false) Integer size) {
        directories.get(org.organizationId(), directoryId);
        return unlinked.list(org.organizationId(), directoryId, PageQuery.of(page, size));
    }

    /** The request log, newest first, or failures first with {@code failedFirst=true}. */
    @GetMapping("/scim-directories/{directoryId}/requests")
    PageResult<RequestLogEntry> requests(OrgContext org, @PathVariable UUID directoryId,
                                         @RequestParam(required = false) Integer status,
                                         @RequestParam(required = false) String method,
                                         @RequestParam(defaultValue = "false") boolean failedOnly,
                                         @RequestParam(defaultValue = "false") boolean failedFirst,
                                         @RequestParam(required = false) Integer page,
                                         @RequestParam(required = false) Integer size) {
        directories.get(org.organizationId(), directoryId);
        return requestLog.find(org.organizationId(), directoryId,
                new RequestLogService.Filter(status, method, failedOnly, failedFirst), PageQuery.of(page, size));
    }

    @GetMapping("/scim-settings")
    Settings settings(OrgContext org) {
        return new Settings(settings.onDeactivate(org.organizationId()).apiName());
    }

    @PutMapping("/scim-settings")
    Settings updateSettings(OrgContext org, @RequestBody Settings body) {
        return new Settings(settings.update(org.organizationId(), body.onDeactivate(), org.actor()).apiName());
    }

    private DirectoryView view(OrgContext org, ScimDirectory d) {
        return new DirectoryView(d.id(), d.name(), d.kind().apiName(), renderer.baseUrl(), d.requestsPerSecond(),
                d.createdAt(), directories.tokens(org.organizationId(), d.id()).stream().map(TokenView::of).toList());
    }
}
