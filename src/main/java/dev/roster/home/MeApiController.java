package dev.roster.home;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.membership.MemberReads;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.RosterUser;
import dev.roster.twofactor.TwoFactorService;

/** The caller's account: who they are, whether two-factor is on, and the organizations they are an active member of. */
@RestController
@RequestMapping("/api/v1/me")
class MeApiController {

    private final AccountService accounts;
    private final MemberReads members;
    private final TwoFactorService twoFactor;

    MeApiController(AccountService accounts, MemberReads members, TwoFactorService twoFactor) {
        this.accounts = accounts;
        this.members = members;
        this.twoFactor = twoFactor;
    }

    record OrganizationView(String slug, String name, boolean admin, boolean requireTwoFactor) {
    }

    record MeView(UUID id, String email, String displayName, boolean hasPassword, boolean twoFactorEnabled,
                  List<OrganizationView> organizations) {
    }

    record ProfileChange(@NotNull @Size(max = 200) String displayName) {
    }

    @GetMapping
    MeView me(@AuthenticationPrincipal RosterUser user) {
        return view(accounts.get(user.accountId()));
    }

    @PatchMapping
    MeView update(@AuthenticationPrincipal RosterUser user, @Valid @RequestBody ProfileChange change) {
        return view(accounts.updateProfile(user.accountId(), change.displayName(),
                Actor.account(user.accountId(), user.email(), Channel.API)));
    }

    private MeView view(Account account) {
        List<OrganizationView> organizations = members.activeOrganizations(account.id()).stream()
                .map(org -> new OrganizationView(org.slug(), org.organizationName(), org.admin(),
                        org.requireTwoFactor()))
                .toList();
        return new MeView(account.id(), account.email(), account.displayName(), account.hasPassword(),
                twoFactor.isEnrolled(account.id()), organizations);
    }
}
