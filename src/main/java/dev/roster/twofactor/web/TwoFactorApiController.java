package dev.roster.twofactor.web;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.RosterUser;
import dev.roster.twofactor.TwoFactorService;

/**
 * The caller's two-factor authentication. Turning it off and replacing the recovery codes take a current code (or a
 * recovery code), so a stolen API token alone cannot weaken the account.
 */
@RestController
@RequestMapping("/api/v1/me/two-factor")
class TwoFactorApiController {

    static final String ISSUER = "Roster";

    private final TwoFactorService twoFactor;

    TwoFactorApiController(TwoFactorService twoFactor) {
        this.twoFactor = twoFactor;
    }

    record CodeRequest(@NotBlank @Size(max = 64) String code) {
    }

    record RecoveryCodes(List<String> recoveryCodes) {
    }

    /** Whether two-factor is on or being set up, the recovery codes left, and the organizations requiring it. */
    @GetMapping
    TwoFactorService.Status status(@AuthenticationPrincipal RosterUser user) {
        return twoFactor.status(user.accountId());
    }

    /** Starts enrolment: the secret, the otpauth URI and a QR code of it. Nothing changes until it is confirmed. */
    @PostMapping
    TwoFactorService.Enrolment begin(@AuthenticationPrincipal RosterUser user) {
        return twoFactor.begin(user.accountId(), ISSUER);
    }

    @PostMapping("/confirm")
    RecoveryCodes confirm(@AuthenticationPrincipal RosterUser user, @Valid @RequestBody CodeRequest request) {
        return new RecoveryCodes(twoFactor.confirm(user.accountId(), request.code(), actor(user)));
    }

    @DeleteMapping
    ResponseEntity<Void> disable(@AuthenticationPrincipal RosterUser user, @Valid @RequestBody CodeRequest request) {
        twoFactor.disable(user.accountId(), request.code(), actor(user));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/recovery-codes")
    RecoveryCodes regenerate(@AuthenticationPrincipal RosterUser user, @Valid @RequestBody CodeRequest request) {
        return new RecoveryCodes(twoFactor.regenerateRecoveryCodes(user.accountId(), request.code(), actor(user)));
    }

    private static Actor actor(RosterUser user) {
        return Actor.account(user.accountId(), user.email(), Channel.API);
    }
}
