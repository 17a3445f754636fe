package dev.roster.sso.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.OrgContext;
import dev.roster.shared.RosterException;
import dev.roster.shared.web.Confirmation;
import dev.roster.shared.web.DisplayTime;
import dev.roster.shared.web.RefusedForm;
import dev.roster.sso.access.DomainVerification;
import dev.roster.sso.access.SsoBreakGlass;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.access.VerificationNeedsConfirmation;
import dev.roster.sso.access.VerifiedDomain;
import dev.roster.sso.connection.ConnectionRequest;
import dev.roster.sso.connection.ConnectionView;
import dev.roster.sso.connection.SsoConnectionService;

/**
 * Manage → Single sign-on: the organization's connections and verified domains on one page, and the form that
 * creates a connection from the IdP's metadata (pasted, or its URL). Domains are claimed here, verified by the DNS
 * record the page shows, and removed after confirming.
 */
@Controller
@RequestMapping("/orgs/{slug}/manage/sso")
class SsoManagePageController {

    private final SsoConnectionService connections;
    private final SsoDomainService domains;
    private final SsoBreakGlass breakGlass;
    private final DomainVerification verification;

    SsoManagePageController(SsoConnectionService connections, SsoDomainService domains, SsoBreakGlass breakGlass,
                            DomainVerification verification) {
        this.verification = verification;
        this.connections = connections;
        this.domains = domains;
        this.breakGlass = breakGlass;
    }

    /** A connection in the list. */
    record ConnectionRow(UUID id, String name, String kind, boolean enabled, boolean enforceSso, String certificate,
                         boolean certificateWarning, int warnings) {

        static ConnectionRow of(ConnectionView c) {
            ConnectionView.CertificateView soonest = c.idpCertificates().stream()
                    .min(Comparator.comparing(ConnectionView.CertificateView::notAfter)).orElse(null);
            String certificate = soonest == null ? "" : (soonest.expired() ? "Expired " : "Expires ")
                    + DisplayTime.of(soonest.notAfter(), "");
            return new ConnectionRow(c.id(), c.name(), SsoLabels.kind(c.kind()), c.enabled(), c.enforceSso(),
                    certificate, soonest != null && (soonest.expired() || soonest.expiresSoon()), c.warnings().size());
        }
    }

    /** A claimed domain, with the DNS record that proves it. */
    record DomainRow(UUID id, String domain, boolean verified, String txtName, String txtRecord, String verifiedHow,
                     String claimed) {

        static DomainRow of(VerifiedDomain d) {
            String how = !d.verified() ? "" : ("OPERATOR".equals(d.verifiedBy()) ? "Verified by the operator "
                    : "Verified through DNS ") + DisplayTime.of(d.verifiedAt(), "");
            return new DomainRow(d.id(), d.domain(), d.verified(), d.txtName(), d.txtRecord(), how,
                    DisplayTime.of(d.createdAt(), ""));
        }
    }

    @GetMapping
    String overview(OrgContext org, Model model) {
        return render(org, model);
    }

    @GetMapping("/new")
    String newConnection(OrgContext org, Model model) {
        model.addAttribute("org", org);
        if (!model.containsAttribute("kind")) {
            model.addAttribute("kind", "entra");
        }
        if (!model.containsAttribute("fieldErrors")) {
            model.addAttribute("fieldErrors", Map.of());
        }
        return "sso/connection-new";
    }

    @PostMapping("/connections")
    String create(OrgContext org, @RequestParam(defaultValue = "") String kind,
                  @RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String metadataUrl,
                  @RequestParam(defaultValue = "") String metadataXml, Model model, HttpServletResponse response,
                  RedirectAttributes redirect) {
        try {
            if (metadataUrl.isBlank() == metadataXml.isBlank()) {
                throw new InvalidRequestException("Give the metadata one way.", Map.of("metadataXml",
                        metadataUrl.isBlank() ? "Paste your identity provider's metadata XML, or give its URL above."
                                : "Give the metadata URL or paste the XML, not both."));
            }
            ConnectionView created = connections.create(org.organizationId(), new ConnectionRequest(kind,
                    name.isBlank() ? null : name, metadataXml.isBlank() ? null : metadataXml,
                    metadataUrl.isBlank() ? null : metadataUrl.trim(), true, false, false, null, null, null, null,
                    null, null, null), org.actor());
            redirect.addFlashAttribute("message", "Connection " + created.name() + " is created. Copy the values "
                    + "below into your identity provider, then decide who may join under Access and teams.");
            return "redirect:" + SsoPaths.connection(org, created.id());
        }
        catch (RosterException ex) {
            RefusedForm.answer(ex, response, model).fieldErrors("fieldErrors", "metadataXml").keep("kind", kind)
                    .keep("name", name).keep("metadataUrl", metadataUrl).keep("metadataXml", metadataXml);
            return newConnection(org, model);
        }
    }

    @PostMapping("/domains")
    String claim(OrgContext org, @RequestParam(defaultValue = "") String domain, Model model,
                 HttpServletResponse response, RedirectAttributes redirect) {
        try {
            VerifiedDomain claimed = domains.claim(org.organizationId(), domain, org.actor());
            redirect.addFlashAttribute("message", claimed.domain() + " is claimed. Add the TXT record shown below "
                    + "to its DNS, then press Verify now.");
            return "redirect:" + SsoPaths.overview(org) + "#domain-" + claimed.id();
        }
        catch (RosterException ex) {
            RefusedForm.answer(ex, response, model).fieldError("domainError", "domain").keep("domain", domain);
            return render(org, model);
        }
    }

    /**
     * Verifies the domain by its DNS record. While single sign-on is enforced and that takes password sign-in from
     * people, the page asks first, with their number; only the confirmation page carries the count it showed, so a
     * form that skipped it is asked again.
     */
    @PostMapping("/domains/{id}/verify")
    String verify(OrgContext org, @PathVariable String id, @RequestParam(required = false) String confirmed,
                  @RequestParam(required = false) Long acceptPasswordSignInLoss, Model model,
                  RedirectAttributes redirect) {
        UUID domainId = domainId(id);
        try {
            VerifiedDomain verified = verification.verify(org.organizationId(), domainId,
                    Confirmation.given(confirmed) ? acceptPasswordSignInLoss : null, org.actor());
            redirect.addFlashAttribute("message", verified.domain() + " is verified. Its addresses can now sign in "
                    + "through your connections.");
        }
        catch (VerificationNeedsConfirmation ex) {
            model.addAttribute("org", org);
            return verifyConfirmation(org, domainId, ex).show(model);
        }
        catch (RosterException ex) {
            RefusedForm.rethrowIfNotFound(ex);
            redirect.addFlashAttribute("error", ex.getMessage());
        }
        return "redirect:" + SsoPaths.overview(org) + "#domain-" + domainId;
    }

    static Confirmation verifyConfirmation(OrgContext org, UUID domainId, VerificationNeedsConfirmation needed) {
        List<String> details = new ArrayList<>();
        details.add(needed.connectionName() + " enforces single sign-on. Once " + needed.domain() + " is verified, "
                + "people with an address at it sign in only through " + needed.connectionName() + ": Roster refuses "
                + "their password from their next sign-in on, and invitees there accept their invitation through it.");
        details.addAll(EnforcementWarning.lines(needed.impact()));
        details.add("Check first that your identity provider knows the people at " + needed.domain() + ".");
        return new Confirmation("Verify " + needed.domain() + " while single sign-on is enforced?", details,
                SsoPaths.overview(org) + "/domains/" + domainId + "/verify",
                Map.of("acceptPasswordSignInLoss", String.valueOf(needed.impact().losingPasswordSignIn())),
                "Verify and enforce single sign-on", true, SsoPaths.overview(org));
    }

    /** Keeps or removes the admins' password and second-factor sign-in while single sign-on is enforced. */
    @PostMapping("/break-glass")
    String breakGlass(OrgContext org, @RequestParam(defaultValue = "true") boolean adminBreakGlass,
                      @RequestParam(required = false) String confirmed, Model model, RedirectAttributes redirect) {
        if (!adminBreakGlass && !Confirmation.given(confirmed)) {
            model.addAttribute("org", org);
            return removeBreakGlassConfirmation(org).show(model);
        }
        try {
            breakGlass.set(org.organizationId(), adminBreakGlass, org.actor());
            redirect.addFlashAttribute("message", adminBreakGlass
                    ? "Admins can sign in with their password and second factor again."
                    : "Admins now sign in only through single sign-on where it is enforced.");
        }
        catch (RosterException ex) {
            redirect.addFlashAttribute("error", ex.getMessage());
        }
        return "redirect:" + SsoPaths.overview(org) + "#break-glass";
    }

    static Confirmation removeBreakGlassConfirmation(OrgContext org) {
        return new Confirmation("Remove the admins' password sign-in?", List.of(
                "Where single sign-on is enforced, admins then sign in only through your identity provider, like "
                        + "everyone else. If it fails, or does not know an admin, nobody can sign in to manage "
                        + "the organization until it works again.",
                "Only an admin who signs in through single sign-on can do this. While no active admin could sign in "
                        + "through it, admins keep their password sign-in anyway."),
                SsoPaths.overview(org) + "/break-glass", Map.of("adminBreakGlass", "false"),
                "Remove password sign-in for admins", true, SsoPaths.overview(org));
    }

    @PostMapping("/domains/{id}/remove")
    String removeDomain(OrgContext org, @PathVariable String id, @RequestParam(required = false) String confirmed,
                        Model model, RedirectAttributes redirect) {
        UUID domainId = domainId(id);
        VerifiedDomain domain = domains.get(org.organizationId(), domainId);
        if (!Confirmation.given(confirmed)) {
            model.addAttribute("org", org);
            return removeConfirmation(org, domain).show(model);
        }
        domains.remove(org.organizationId(), domainId, org.actor());
        redirect.addFlashAttribute("message", domain.domain() + " is removed.");
        return "redirect:" + SsoPaths.overview(org);
    }

    static Confirmation removeConfirmation(OrgContext org, VerifiedDomain domain) {
        return new Confirmation("Remove " + domain.domain() + "?", domain.verified()
                ? List.of("Addresses at " + domain.domain() + " no longer find your connections at sign-in, your "
                + "identity provider can no longer speak for them, and enforced single sign-on stops applying to "
                + "them. Members keep their membership.")
                : List.of("The claim and its DNS record are forgotten. You can claim the domain again later."),
                SsoPaths.overview(org) + "/domains/" + domain.id() + "/remove", Map.of(), "Remove domain", true,
                SsoPaths.overview(org));
    }

    private String render(OrgContext org, Model model) {
        List<ConnectionRow> rows = connections.list(org.organizationId()).stream().map(ConnectionRow::of)
                .sorted(Comparator.comparing(ConnectionRow::name, String.CASE_INSENSITIVE_ORDER)).toList();
        List<VerifiedDomain> claimed = domains.list(org.organizationId());
        model.addAttribute("org", org);
        model.addAttribute("connections", rows);
        model.addAttribute("domains", claimed.stream().map(DomainRow::of).toList());
        model.addAttribute("adminBreakGlass", breakGlass.allowed(org.organizationId()));
        model.addAttribute("removeBreakGlass", removeBreakGlassConfirmation(org));
        model.addAttribute("removeDomain", claimed.stream()
                .collect(Collectors.toMap(VerifiedDomain::id, d -> removeConfirmation(org, d))));
        return "sso/overview";
    }

    private static UUID domainId(String raw) {
        return Ids.parse(raw).orElseThrow(() -> new NotFoundException("Domain not found."));
    }
}
