package dev.roster.sso.web;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
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
import dev.roster.shared.ConflictException;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.OrgContext;
import dev.roster.shared.web.ApiExceptionHandler;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.shared.web.WireNames;
import dev.roster.sso.access.AccessGrant;
import dev.roster.sso.access.DomainVerification;
import dev.roster.sso.access.GroupMapping;
import dev.roster.sso.access.SsoAccessService;
import dev.roster.sso.access.SsoBreakGlass;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.access.VerificationNeedsConfirmation;
import dev.roster.sso.access.VerifiedDomain;
import dev.roster.sso.connection.ConnectionRequest;
import dev.roster.sso.connection.ConnectionView;
import dev.roster.sso.connection.EnforcementNeedsConfirmation;
import dev.roster.sso.connection.EnforcementRefused;
import dev.roster.sso.connection.SsoConnectionService;

/** The admin API of single sign-on: connections, their grants and group mappings, and the organization's domains. */
@RestController
@RequestMapping("/api/v1/orgs/{slug}")
public class SsoApiController {

    private final SsoConnectionService connections;
    private final SsoAccessService access;
    private final SsoDomainService domains;
    private final SsoBreakGlass breakGlass;
    private final DomainVerification verification;

    SsoApiController(SsoConnectionService connections, SsoAccessService access, SsoDomainService domains,
                     SsoBreakGlass breakGlass, DomainVerification verification) {
        this.verification = verification;
        this.connections = connections;
        this.access = access;
        this.domains = domains;
        this.breakGlass = breakGlass;
    }

    record SettingsRequest(Boolean adminBreakGlass) {
    }

    /**
     * The organization's SSO settings, whether SSO is enforced, and what enforcing it does to password sign-in now
     * (the counts a {@code 409 confirmation-required} answers).
     */
    record SettingsView(boolean adminBreakGlass, boolean enforced, java.util.Map<String, Object> enforcementImpact) {
    }

    /** A refused or unconfirmed enforcement: the problem document carries the counts a client acts on. */
    @ExceptionHandler({EnforcementNeedsConfirmation.class, EnforcementRefused.class,
            VerificationNeedsConfirmation.class})
    ResponseEntity<ProblemDetail> enforcementProblem(ConflictException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(ex.status(), ex.getMessage());
        problem.setType(ApiExceptionHandler.type(ex.code()));
        (ex instanceof EnforcementRefused refused ? refused.counts()
                : ex instanceof VerificationNeedsConfirmation verifying ? verifying.counts()
                : ((EnforcementNeedsConfirmation) ex).counts()).forEach(problem::setProperty);
        return ResponseEntity.status(ex.status()).body(problem);
    }

    @GetMapping("/sso-settings")
    SettingsView settings(OrgContext org) {
        boolean enforced = connections.list(org.organizationId()).stream()
                .anyMatch(c -> c.enabled() && c.enforceSso());
        return new SettingsView(breakGlass.allowed(org.organizationId()), enforced,
                EnforcementNeedsConfirmation.describe(breakGlass.impact(org.organizationId())));
    }

    @PutMapping("/sso-settings")
    SettingsView changeSettings(OrgContext org, @RequestBody SettingsRequest request) {
        if (request.adminBreakGlass() != null) {
            breakGlass.set(org.organizationId(), request.adminBreakGlass(), org.actor());
        }
        return settings(org);
    }

    record GrantRequest(@NotBlank String kind, @NotBlank @Size(max = 320) String value) {
    }

    record MappingRequest(@NotBlank @Size(max = 256) String group, @Size(max = 100) String team, String role,
                          Boolean admin) {
    }

    record MappingChange(String role) {
    }

    /** The count of people losing password sign-in the client accepts, as the 409 answered it. */
    record VerifyRequest(Long acceptPasswordSignInLoss) {
    }

    record DomainRequest(@NotBlank @Size(max = 253) String domain) {
    }

    @GetMapping("/sso-connections")
    PageResult<ConnectionView> list(OrgContext org, @RequestParam(required = false) Integer page,
                                    @RequestParam(required = false) Integer size) {
        return page(connections.list(org.organizationId()), page, size);
    }

    @PostMapping("/sso-connections")
    @ResponseStatus(HttpStatus.CREATED)
    ConnectionView create(OrgContext org, @Valid @RequestBody ConnectionRequest request) {
        return connections.create(org.organizationId(), request, org.actor());
    }

    @GetMapping("/sso-connections/{id}")
    ConnectionView get(OrgContext org, @PathVariable UUID id) {
        return connections.find(org.organizationId(), id);
    }

    @PatchMapping("/sso-connections/{id}")
    ConnectionView update(OrgContext org, @PathVariable UUID id, @Valid @RequestBody ConnectionRequest request) {
        return connections.update(org.organizationId(), id, request, org.actor());
    }

    @DeleteMapping("/sso-connections/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(OrgContext org, @PathVariable UUID id) {
        connections.delete(org.organizationId(), id, org.actor());
    }

    @PostMapping("/sso-connections/{id}/refresh-metadata")
    ConnectionView refresh(OrgContext org, @PathVariable UUID id) {
        return connections.refreshMetadata(org.organizationId(), id, org.actor());
    }

    @GetMapping("/sso-connections/{id}/grants")
    PageResult<AccessGrant> grants(OrgContext org, @PathVariable UUID id, @RequestParam(required = false) Integer page,
                                   @RequestParam(required = false) Integer size) {
        return page(access.grants(org.organizationId(), id), page, size);
    }

    @PostMapping("/sso-connections/{id}/grants")
    @ResponseStatus(HttpStatus.CREATED)
    AccessGrant addGrant(OrgContext org, @PathVariable UUID id, @Valid @RequestBody GrantRequest request) {
        return access.addGrant(org.organizationId(), id, request.kind(), request.value(), org.actor());
    }

    @DeleteMapping("/sso-connections/{id}/grants/{grantId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void removeGrant(OrgContext org, @PathVariable UUID id, @PathVariable UUID grantId) {
        access.removeGrant(org.organizationId(), id, grantId, org.actor());
    }

    @GetMapping("/sso-connections/{id}/group-mappings")
    PageResult<GroupMapping> mappings(OrgContext org, @PathVariable UUID id,
                                      @RequestParam(required = false) Integer page,
                                      @RequestParam(required = false) Integer size) {
        return page(access.mappings(org.organizationId(), id), page, size);
    }

    @PostMapping("/sso-connections/{id}/group-mappings")
    @ResponseStatus(HttpStatus.CREATED)
    GroupMapping addMapping(OrgContext org, @PathVariable UUID id, @Valid @RequestBody MappingRequest request) {
        return access.addMapping(org.organizationId(), id, request.group(), request.team(),
                WireNames.parse(TeamRole.class, request.role(), "role"), Boolean.TRUE.equals(request.admin()),
                org.actor());
    }

    /** Changes the team role the mapping gives ({@code member} or {@code maintainer}), from the next sign-in on. */
    @PatchMapping("/sso-connections/{id}/group-mappings/{mappingId}")
    GroupMapping changeMapping(OrgContext org, @PathVariable UUID id, @PathVariable UUID mappingId,
                               @RequestBody MappingChange change) {
        TeamRole role = WireNames.parse(TeamRole.class, change.role(), "role");
        if (role == null) {
            throw InvalidRequestException.field("role", "Give the team role: member or maintainer.");
        }
        return access.changeMappingRole(org.organizationId(), id, mappingId, role, org.actor());
    }

    @PostMapping("/sso-connections/{id}/group-mappings/refresh-names")
    PageResult<GroupMapping> refreshNames(OrgContext org, @PathVariable UUID id) {
        return page(access.refreshGroupNames(org.organizationId(), id), null, PageQuery.MAX_SIZE);
    }

    @DeleteMapping("/sso-connections/{id}/group-mappings/{mappingId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void removeMapping(OrgContext org, @PathVariable UUID id, @PathVariable UUID mappingId) {
        access.removeMapping(org.organizationId(), id, mappingId, org.actor());
    }

    @GetMapping("/sso-domains")
    PageResult<VerifiedDomain> domains(OrgContext org, @RequestParam(required = false) Integer page,
                                       @RequestParam(required = false) Integer size) {
        return page(domains.list(org.organizationId()), page, size);
    }

    @PostMapping("/sso-domains")
    @ResponseStatus(HttpStatus.CREATED)
    VerifiedDomain claim(OrgContext org, @Valid @RequestBody DomainRequest request) {
        return domains.claim(org.organizationId(), request.domain(), org.actor());
    }

    /**
     * Verifies the domain by its DNS record. While single sign-on is enforced, a verification that takes password
     * sign-in from people answers 409 {@code confirmation-required} with the counts, until the body accepts them, and
     * one that would leave no admin able to sign in 409 {@code enforcement-locks-out-admins}.
     */
    @PostMapping("/sso-domains/{domainId}/verify")
    VerifiedDomain verify(OrgContext org, @PathVariable UUID domainId,
                          @RequestBody(required = false) VerifyRequest request) {
        return verification.verify(org.organizationId(), domainId,
                request == null ? null : request.acceptPasswordSignInLoss(), org.actor());
    }

    @DeleteMapping("/sso-domains/{domainId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void removeDomain(OrgContext org, @PathVariable UUID domainId) {
        domains.remove(org.organizationId(), domainId, org.actor());
    }

    /** These lists are short (a few connections, grants and mappings per organization), so they page in memory. */
    private static <T> PageResult<T> page(List<T> all, Integer page, Integer size) {
        PageQuery query = PageQuery.of(page, size);
        int from = (int) Math.min(all.size(), query.offset());
        return PageResult.of(all.subList(from, Math.min(all.size(), from + query.size())), query, all.size());
    }
}
