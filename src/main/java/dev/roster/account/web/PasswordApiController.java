package dev.roster.account.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.roster.account.AccountService;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.RosterUser;

/** The caller's password. The current one is required when the account has one (accounts made by SSO may not). */
@RestController
class PasswordApiController {

    private final AccountService accounts;

    PasswordApiController(AccountService accounts) {
        this.accounts = accounts;
    }

    record PasswordChange(@Size(max = 1000) String currentPassword, @NotNull @Size(max = 1000) String newPassword) {
    }

    @PostMapping("/api/v1/me/password")
    ResponseEntity<Void> change(@AuthenticationPrincipal RosterUser user, @Valid @RequestBody PasswordChange change) {
        accounts.changePassword(user.accountId(), change.currentPassword(), change.newPassword(),
                Actor.account(user.accountId(), user.email(), Channel.API));
        return ResponseEntity.noContent().build();
    }
}
