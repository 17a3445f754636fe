package dev.roster.invitation.web;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.roster.invitation.Invitation;
import dev.roster.invitation.InvitationService;
import dev.roster.invitation.InvitationStatus;
import dev.roster.invitation.InviteResult;
import dev.roster.invitation.Invitee;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.OrgContext;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;

/** Invitations of an organization, for its admins (every endpoint here is admin-only). */
@RestController
@RequestMapping("/api/v1/orgs/{slug}/invitations")
class InvitationApiController {

    private final InvitationService invitations;

    InvitationApiController(InvitationService invitations) {
        this.invitations = invitations;
    }

    /**
     * {@code emails}: the addresses; {@code invitees}: addresses with their own teams ({@code teams} absent: the
     * request's), after the {@code emails}; {@code teams}: team names every invitee without their own joins;
     * {@code admin}: invite as admins.
     */
    record InviteRequest(List<String> emails, List<Invitee> invitees, List<String> teams, Boolean admin) {

        List<Invitee> all() {
            List<Invitee> all = new ArrayList<>();
            if (emails != null) {
                emails.forEach(email -> all.add(new Invitee(email, null)));
            }
            if (invitees != null) {
                invitees.stream().filter(java.util.Objects::nonNull).forEach(all::add);
            }
            return all;
        }
    }

    /** One result per address, in the order given; {@code invited} counts the invitations created. */
    record InviteResponse(List<InviteResult> results, long invited) {
    }

    record ClearedResponse(int deleted) {
    }

    @PostMapping
    InviteResponse invite(OrgContext org, @RequestBody InviteRequest request) {
        List<InviteResult> results = invitations.inviteEach(org.organizationId(), request.all(), request.teams(),
                Boolean.TRUE.equals(request.admin()), org.actor());
        return new InviteResponse(results,
                results.stream().filter(r -> r.result() == InviteResult.Outcome.INVITED).count());
    }

    @GetMapping
    PageResult<Invitation> list(OrgContext org, @RequestParam(required = false) String status,
                                @RequestParam(required = false) Integer page,
                                @RequestParam(required = false) Integer size) {
        InvitationStatus filter = status == null || status.isBlank() ? null : InvitationStatus.parse("status", status);
        return invitations.list(org.organizationId(), filter, PageQuery.of(page, size));
    }

    @GetMapping("/{id}")
    Invitation get(OrgContext org, @PathVariable String id) {
        return invitations.get(org.organizationId(), invitationId(id));
    }

    @PostMapping("/{id}/resend")
    Invitation resend(OrgContext org, @PathVariable String id) {
        return invitations.resend(org.organizationId(), invitationId(id), org.actor());
    }

    @PostMapping("/{id}/revoke")
    Invitation revoke(OrgContext org, @PathVariable String id) {
        return invitations.revoke(org.organizationId(), invitationId(id), org.actor());
    }

    /** "Clear expired": only {@code status=expired} is accepted, so a missing parameter never deletes anything. */
    @DeleteMapping
    ClearedResponse clear(OrgContext org, @RequestParam(required = false) String status) {
        if (status == null || InvitationStatus.parse("status", status) != InvitationStatus.EXPIRED) {
            throw InvalidRequestException.field("status", "Only expired invitations can be cleared: use ?status=expired.");
        }
        return new ClearedResponse(invitations.clearExpired(org.organizationId(), org.actor()));
    }

    private static UUID invitationId(String raw) {
        return Ids.parse(raw).orElseThrow(() -> new NotFoundException("invitation-not-found", "Invitation not found."));
    }
}
