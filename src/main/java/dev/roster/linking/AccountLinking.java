package dev.roster.linking;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.roster.audit.AuditTarget;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.EmailAddress;

/**
 * The account-linking policy, in one place. An organization may act on an account that exists (sign in to it through
 * its IdP, make it a member through its directory) only
 * <ul>
 * <li>when the address is in a domain <em>this</em> organization verified (it owns the mailboxes there),</li>
 * <li>when the person accepts an invitation of this organization (acceptance is their consent), or</li>
 * <li>when the person proves they own the account (they are signed in to it) and confirms the link themselves.</li>
 * </ul>
 * An address in a domain <em>another</em> organization verified is never granted, linked or provisioned by anyone
 * else, whether or not an account has it; that organization is told of the attempt. Where no organization verified
 * the domain, an IdP speaks for an address only when an admin granted it one by one (or the person is accepting an
 * invitation), and then creates an account only if none has the address.
 * <p>
 * Answers are decisions, never exceptions inside a caller's transaction (except the grant checks, which refuse the
 * whole request). Refusals of grants are audited here in a transaction of their own; the channels audit their own
 * refusals of sign-ins and provisioning, in the organization that attempted them.
 */
@Service
public class AccountLinking {

    /** The reason codes of refusals, shown on pages and written to the audit log. */
    public static final String CLAIMED_ELSEWHERE = "claimed-domain";
    public static final String NOT_VOUCHED_FOR = "unverified-domain";

    private final DomainClaims claims;
    private final ClaimNotices notices;
    private final Refusals refusals;

    AccountLinking(DomainClaims claims, ClaimNotices notices, Refusals refusals) {
        this.claims = claims;
        this.notices = notices;
        this.refusals = refusals;
    }

    /** Who may speak for the address, seen from the organization. */
    public AddressClaim claim(UUID organizationId, EmailAddress address) {
        return new AddressClaim(address, organizationId, claims.verifiedOwner(address.domain()).orElse(null));
    }

    // --- access grants

    /**
     * A domain grant lets the organization's IdP provision everyone at the domain, so only a domain this
     * organization verified can be granted. Otherwise refused (400) and audited as {@code sso.grant-refused}.
     */
    public void requireGrantableDomain(UUID organizationId, String domain, Actor actor, AuditTarget target) {
        Optional<UUID> owner = claims.verifiedOwner(domain);
        if (owner.isPresent() && owner.get().equals(organizationId)) {
            return;
        }
        String message = "Only a domain this organization has verified can be granted, and it has not verified "
                + domain + ". Verify it under Domains first.";
        refuseGrant(organizationId, actor, target, "domain", domain, "domain-not-verified", message);
    }

    /**
     * An email grant lets the organization's IdP speak for one address outside its verified domains. An address in
     * a domain another organization verified is that organization's to sign in: refused (400), audited as
     * {@code sso.grant-refused}.
     */
    public void requireGrantableAddress(UUID organizationId, EmailAddress address, Actor actor, AuditTarget target) {
        AddressClaim claim = claim(organizationId, address);
        if (!claim.byAnotherOrganization()) {
            return;
        }
        String message = address.domain() + " is a domain another organization has verified: only that "
                + "organization's identity provider may sign in " + address.normalized()
                + ", so it cannot be granted here.";
        refuseGrant(organizationId, actor, target, "email", address.normalized(), "address-claimed", message);
    }

    private void refuseGrant(UUID organizationId, Actor actor, AuditTarget target, String kind, String value,
                             String reason, String message) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kind", kind);
        details.put("value", value);
        details.put("reason", reason);
        refusals.record(organizationId, actor, "sso.grant-refused", target, details);
        throw new LinkRefusedException(reason, message);
    }

    // --- directories (SCIM)

    /** The reason codes of directory users kept unlinked. */
    public static final String AWAITING_OWNER = "awaiting-acceptance";

    /**
     * What Roster knows when a directory names an address. {@code memberAlready}: the account is a member (active or
     * suspended, not removed) of the organization, which it agreed to when it joined.
     */
    public record ProvisionFacts(EmailAddress address, boolean accountExists, boolean memberAlready) {
    }

    /** What a directory user with the address may become. */
    public sealed interface ProvisionVerdict {
    }

    /** Link the existing account (to its membership, or make it a member). */
    public record LinkExisting() implements ProvisionVerdict {
    }

    /** No account has the address: create it for the directory's user. */
    public record CreateAccount() implements ProvisionVerdict {
    }

    /** An account exists outside the organization's domains: invite its owner; link when they accept. */
    public record AskOwner() implements ProvisionVerdict {
    }

    /** Keep the user, linked to nothing, for this reason (shown to admins and in the request log). */
    public record Hold(String reason) implements ProvisionVerdict {
    }

    public ProvisionVerdict provision(UUID organizationId, ProvisionFacts facts) {
        return provision(claim(organizationId, facts.address()), facts);
    }

    /** {@link #provision(UUID, ProvisionFacts)} for a caller that has just read the address's claim. */
    public ProvisionVerdict provision(AddressClaim claim, ProvisionFacts facts) {
        if (!claim.address().equals(facts.address())) {
            throw new IllegalArgumentException("the claim is not the address's");
        }
        if (claim.byAnotherOrganization()) {
            notices.claimRefused(claim, Channel.SCIM);
            return new Hold(CLAIMED_ELSEWHERE);
        }
        if (!facts.accountExists()) {
            return new CreateAccount();
        }
        if (claim.byThisOrganization() || facts.memberAlready()) {
            return new LinkExisting();
        }
        return new AskOwner();
    }

    // --- single sign-on

    /**
     * What Roster knows when an IdP identity signs in. {@code address} is the linked account's address when the
     * identity is linked already, the asserted one otherwise; {@code linkBasis} is null for links made before bases
     * were recorded.
     */
    public record SignInFacts(EmailAddress address, boolean accountExists, boolean linked, LinkBasis linkBasis,
                              boolean addressGranted, boolean acceptingInvitation, boolean confirmedByOwner) {
    }

    /** What a sign-in may do with the account: link (or create) it, ask its owner first, or nothing. */
    public sealed interface SignInVerdict {
    }

    /** Sign in to the account (create it when none exists), recording this basis with the link. */
    public record Link(LinkBasis basis) implements SignInVerdict {
    }

    /** An account exists outside the organization's domains: its owner must prove it is theirs and confirm. */
    public record ConfirmFirst() implements SignInVerdict {
    }

    public record Refuse(String reason, String message, String detail) implements SignInVerdict {
    }

    public SignInVerdict signIn(UUID organizationId, SignInFacts facts) {
        AddressClaim claim = claim(organizationId, facts.address());
        if (claim.byAnotherOrganization()) {
            notices.claimRefused(claim, Channel.SSO);
            return new Refuse(CLAIMED_ELSEWHERE, facts.address().domain() + " is a domain another organization has "
                    + "verified, so this identity provider cannot sign you in with " + facts.address().value() + ".",
                    "domain " + facts.address().domain() + " is verified by another organization");
        }
        if (claim.byThisOrganization()) {
            return new Link(LinkBasis.VERIFIED_DOMAIN);
        }
        if (!facts.addressGranted() && !facts.acceptingInvitation()) {
            return new Refuse(NOT_VOUCHED_FOR, "Your organization has not verified the domain of "
                    + facts.address().value() + ", so its identity provider cannot sign you in with it. Ask an admin.",
                    "domain " + facts.address().domain() + " not verified, address not granted");
        }
        if (facts.linked() && facts.linkBasis() != null && facts.linkBasis().standsWithoutDomain()) {
            return new Link(facts.linkBasis());
        }
        if (facts.acceptingInvitation()) {
            return new Link(LinkBasis.INVITATION);
        }
        if (!facts.accountExists()) {
            return new Link(LinkBasis.NEW_ACCOUNT);
        }
        if (facts.confirmedByOwner()) {
            return new Link(LinkBasis.CONFIRMED);
        }
        return new ConfirmFirst();
    }
}
