package dev.roster.invitation.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.roster.invitation.AcceptedInvitation;
import dev.roster.invitation.InvitationAcceptance;
import dev.roster.invitation.InvitationPreview;
import dev.roster.shared.RosterUser;

/**
 * Accepting an invitation through the API. Looking at an invitation and accepting it with a new account need no
 * sign-in (the link token is the credential); accepting as an existing account needs that account's API token.
 */
@RestController
class InvitationAcceptanceApiController {

    private final InvitationAcceptance acceptance;

    InvitationAcceptanceApiController(InvitationAcceptance acceptance) {
        this.acceptance = acceptance;
    }

    record NewAccountAcceptance(@NotBlank String token, String displayName, String password) {
    }

    record Acceptance(@NotBlank String token) {
    }

    @GetMapping("/api/v1/public/invitations/{token}")
    InvitationPreview preview(@PathVariable String token) {
        return acceptance.preview(token);
    }

    @PostMapping("/api/v1/public/invitations/accept")
    AcceptedInvitation acceptWithNewAccount(@Valid @RequestBody NewAccountAcceptance request) {
        return acceptance.acceptWithNewAccount(request.token(), request.displayName(), request.password());
    }

    @PostMapping("/api/v1/invitations/accept")
    AcceptedInvitation accept(@AuthenticationPrincipal RosterUser user, @Valid @RequestBody Acceptance request) {
        return acceptance.acceptAsAccount(request.token(), user.accountId());
    }
}
