package dev.roster.sso.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
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
import dev.roster.sso.connection.ConnectionRequest;
import dev.roster.sso.connection.ConnectionView;
import dev.roster.sso.DirectoryManagedOrganizations;
import dev.roster.sso.connection.EnforcementNeedsConfirmation;
import dev.roster.sso.connection.EnforcementRefused;
import dev.roster.sso.access.SsoBreakGlass;
import dev.roster.sso.connection.SsoConnectionService;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.connection.SsoTestLogins;

/**
 * One connection's set-up page: the values the identity provider needs (each with a copy button, and the SP metadata
 * to download), the IdP's metadata and signing certificates with their expiry, the settings (enabled, enforced,
 * IdP-initiated, SCIM policy, group look-ups), a test login, and deletion.
 */
@Controller
@RequestMapping("/orgs/{slug}/manage/sso/connections/{id}")
class SsoConnectionPageController {

    private final SsoConnectionService connections;
    private final SsoDomainService domains;
    private final SsoTestLogins tests;
    private final ObjectProvider<DirectoryManagedOrganizations> directories;
    private final SsoBreakGlass breakGlass;

    SsoConnectionPageController(SsoConnectionService connections, SsoDomainService domains, SsoTestLogins tests,
                                ObjectProvider<DirectoryManagedOrganizations> directories, SsoBreakGlass breakGlass) {
        this.breakGlass = breakGlass;
        this.connections = connections;
        this.domains = domains;
        this.tests = tests;
        this.directories = directories;
    }

    /** An IdP signing certificate as the page lists it. */
    record CertificateRow(String fingerprint, String subject, Instant expires, String status, boolean warning) {

        static CertificateRow of(ConnectionView.CertificateView c) {
            return new CertificateRow(c.fingerprint(), c.subject(), c.notAfter(),
                    c.expired() ? "Expired" : c.expiresSoon() ? "Expires soon" : "Valid", c.expired() || c.expiresSoon());
        }
    }

    /** One value the identity provider needs, named as that provider's form names it. */
    record SpValue(String id, String label, String value) {
    }

    static List<SpValue> spValues(ConnectionView c) {
        List<SpValue> values = new ArrayList<>();
        switch (c.kind()) {
            case "entra" -> {
                values.add(new SpValue("sp-entity-id", "Identifier (Entity ID)", c.spEntityId()));
                values.add(new SpValue("sp-acs", "Reply URL (Assertion Consumer Service URL)", c.acsUrl()));
                values.add(new SpValue("sp-login", "Sign on URL", c.loginUrl()));
                if (c.sloUrl() != null) {
                    values.add(new SpValue("sp-logout", "Logout Url", c.sloUrl()));
                }
            }
            case "okta" -> {
                values.add(new SpValue("sp-acs", "Single sign-on URL (also Recipient and Destination)", c.acsUrl()));
                values.add(new SpValue("sp-entity-id", "Audience URI (SP Entity ID)", c.spEntityId()));
                values.add(new SpValue("sp-login", "Login URL (to start from Roster)", c.loginUrl()));
                if (c.sloUrl() != null) {
                    values.add(new SpValue("sp-logout", "Single Logout URL", c.sloUrl()));
                }
            }
            default -> {
                values.add(new SpValue("sp-entity-id", "Entity ID", c.spEntityId()));
                values.add(new SpValue("sp-acs", "Assertion Consumer Service (ACS) URL", c.acsUrl()));
                values.add(new SpValue("sp-login", "Sign-on URL", c.loginUrl()));
                if (c.sloUrl() != null) {
                    values.add(new SpValue("sp-logout", "Single logout URL", c.sloUrl()));
                }
            }
        }
        values.add(new SpValue("sp-metadata", "SP metadata URL", c.spMetadataUrl()));
        return values;
    }

    @GetMapping
    String page(OrgContext org, @PathVariable String id, Model model) {
        return render(org, SsoConnections.require(connections, org, id), model);
    }

    @PostMapping
    String update(OrgContext org, @PathVariable String id, @RequestParam(defaultValue = "") String name,
                  @RequestParam(defaultValue = "false") boolean enabled,
                  @RequestParam(defaultValue = "false") boolean enforceSso,
                  @RequestParam(defaultValue = "false") boolean idpInitiated,
                  @RequestParam(defaultValue = "login_only") String scimPolicy,
                  @RequestParam(required = false) String confirmed,
                  @RequestParam(required = false) Integer acceptPasswordSignInLoss, Model model,
                  HttpServletResponse response, RedirectAttributes redirect) {
        ConnectionView connection = SsoConnections.require(connections, org, id);
        // Only the confirmation page below carries the count it showed: a form that skipped it (or a dialog that
        // said nothing about who loses their password) is asked again, with the count.
        if (enforceSso && !connection.enforceSso()
                && (!Confirmation.given(confirmed) || acceptPasswordSignInLoss == null)) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("name", name);
            fields.put("enabled", String.valueOf(enabled));
            fields.put("enforceSso", "true");
            fields.put("idpInitiated", String.valueOf(idpInitiated));
            fields.put("scimPolicy", scimPolicy);
            List<String> verified = domains.verifiedDomains(org.organizationId());
            SsoBreakGlass.Impact impact = breakGlass.impact(org.organizationId());
            fields.put("acceptPasswordSignInLoss", String.valueOf(impact.losingPasswordSignIn()));
            model.addAttribute("org", org);
            List<String> details = new ArrayList<>();
            details.add(verified.isEmpty() ? "The organization has no verified domain yet, so this applies to nobody "
                    + "until you verify one."
                    : "People with an address at " + String.join(", ", verified) + " can then sign in only "
                    + "through " + connection.name() + ": Roster refuses their password, and invitees at "
                    + "those domains accept their invitation through it.");
            details.addAll(EnforcementWarning.lines(impact));
            details.add("Check first that a test login through the connection works.");
            return new Confirmation("Enforce single sign-on through " + connection.name() + "?", details,
                    SsoPaths.connection(org, connection.id()), fields, "Enforce single sign-on", true,
                    SsoPaths.connection(org, connection.id())).show(model);
        }
        try {
            ConnectionView saved = connections.update(org.organizationId(), connection.id(), new ConnectionRequest(
                    null, name, null, null, enabled, idpInitiated, enforceSso, scimPolicy, null, null, null, null,
                    null, null, acceptPasswordSignInLoss), org.actor());
            redirect.addFlashAttribute("message", "Settings of " + saved.name() + " are saved.");
            return "redirect:" + SsoPaths.connection(org, connection.id());
        }
        catch (RosterException ex) {
            boolean enforcement = ex instanceof EnforcementRefused || ex instanceof EnforcementNeedsConfirmation;
            RefusedForm.answer(ex, response, model).fieldErrors("settingsErrors", enforcement ? "enforceSso" : "name")
                    .keep("name", name);
            return render(org, connection, model);
        }
    }

    @PostMapping("/metadata")
    String replaceMetadata(OrgContext org, @PathVariable String id,
                           @RequestParam(defaultValue = "") String metadataUrl,
                           @RequestParam(defaultValue = "") String metadataXml, Model model,
                           HttpServletResponse response, RedirectAttributes redirect) {
        ConnectionView connection = SsoConnections.require(connections, org, id);
        try {
            if (metadataUrl.isBlank() == metadataXml.isBlank()) {
                throw new InvalidRequestException("Give the metadata one way.", Map.of("metadataXml",
                        metadataUrl.isBlank() ? "Paste the new metadata XML, or give its URL above."
                                : "Give the metadata URL or paste the XML, not both."));
            }
            connections.update(org.organizationId(), connection.id(), new ConnectionRequest(null, null,
                    metadataXml.isBlank() ? null : metadataXml, metadataUrl.isBlank() ? null : metadataUrl.trim(),
                    null, null, null, null, null, null, null, null, null, null), org.actor());
            redirect.addFlashAttribute("message", "The identity provider's metadata is replaced.");
            return "redirect:" + SsoPaths.connection(org, connection.id());
        }
        catch (RosterException ex) {
            RefusedForm.answer(ex, response, model).fieldErrors("metadataErrors", "metadataXml")
                    .keep("metadataUrl", metadataUrl).keep("metadataXml", metadataXml);
            return render(org, connection, model);
        }
    }

    @PostMapping("/refresh-metadata")
    String refreshMetadata(OrgContext org, @PathVariable String id, RedirectAttributes redirect) {
        ConnectionView connection = SsoConnections.require(connections, org, id);
        try {
            ConnectionView refreshed = connections.refreshMetadata(org.organizationId(), connection.id(), org.actor());
            if (refreshed.metadataError() != null) {
                redirect.addFlashAttribute("error", "The metadata could not be fetched: " + refreshed.metadataError()
                        + " The last good metadata stays in use.");
            }
            else {
                redirect.addFlashAttribute("message", "The metadata was fetched again just now.");
            }
        }
        catch (RosterException ex) {
            redirect.addFlashAttribute("error", ex.getMessage());
        }
        return "redirect:" + SsoPaths.connection(org, connection.id());
    }

    @PostMapping("/graph")
    String graph(OrgContext org, @PathVariable String id, @RequestParam(defaultValue = "") String tenantId,
                 @RequestParam(defaultValue = "") String clientId, @RequestParam(defaultValue = "") String clientSecret,
                 Model model, HttpServletResponse response, RedirectAttributes redirect) {
        ConnectionView connection = SsoConnections.require(connections, org, id);
        try {
            connections.update(org.organizationId(), connection.id(), new ConnectionRequest(null, null, null, null,
                    null, null, null, null, null, null, null, null,
                    new ConnectionRequest.GraphSettings(tenantId.trim(), clientId.trim(), clientSecret), null),
                    org.actor());
            redirect.addFlashAttribute("message", "Microsoft Graph settings are saved. The secret is stored "
                    + "encrypted and never shown again.");
            return "redirect:" + SsoPaths.connection(org, connection.id()) + "#lookups-heading";
        }
        catch (RosterException ex) {
            RefusedForm.answer(ex, response, model).message("lookupError").keep("tenantId", tenantId)
                    .keep("clientId", clientId);
            return render(org, connection, model);
        }
    }

    @PostMapping("/okta")
    String okta(OrgContext org, @PathVariable String id, @RequestParam(defaultValue = "") String orgUrl,
                @RequestParam(defaultValue = "") String apiToken, Model model, HttpServletResponse response,
                RedirectAttributes redirect) {
        ConnectionView connection = SsoConnections.require(connections, org, id);
        try {
            connections.update(org.organizationId(), connection.id(), new ConnectionRequest(null, null, null, null,
                    null, null, null, null, null, null, null, null, null,
                    new ConnectionRequest.OktaSettings(orgUrl.trim(), apiToken)), org.actor());
            redirect.addFlashAttribute("message", "Okta API settings are saved. The token is stored encrypted and "
                    + "never shown again.");
            return "redirect:" + SsoPaths.connection(org, connection.id()) + "#lookups-heading";
        }
        catch (RosterException ex) {
            RefusedForm.answer(ex, response, model).message("lookupError").keep("orgUrl", orgUrl);
            return render(org, connection, model);
        }
    }

    /**
     * Starts a test login; the page's form opens this in a new tab. It leads to the test's own page, which goes on to
     * the identity provider: the Content-Security-Policy's {@code form-action 'self'} also covers the redirects that
     * follow a form, so the form itself must not end at another site.
     */
    @PostMapping("/test")
    String startTest(OrgContext org, @PathVariable String id, RedirectAttributes redirect) {
        ConnectionView connection = SsoConnections.require(connections, org, id);
        try {
            UUID test = tests.start(org.organizationId(), connection.id(), org.accountId());
            return "redirect:" + SsoPaths.connection(org, connection.id()) + "/tests/" + test + "?start";
        }
        catch (RosterException ex) {
            redirect.addFlashAttribute("error", ex.getMessage());
            return "redirect:" + SsoPaths.connection(org, connection.id());
        }
    }

    /**
     * The admin's own test login: while it waits for the identity provider, the page sends the browser there once
     * (a {@code Refresh} header, as no script may run inline), and shows the result when the answer has come.
     */
    @GetMapping("/tests/{testId}")
    String test(OrgContext org, @PathVariable String id, @PathVariable String testId,
                @RequestParam(required = false) String start, Model model, HttpServletResponse response) {
        ConnectionView connection = SsoConnections.require(connections, org, id);
        SsoTestLogins.TestLogin test = Ids.parse(testId)
                .flatMap(t -> tests.find(org.organizationId(), connection.id(), t, org.accountId()))
                .orElseThrow(() -> new NotFoundException("Test login not found."));
        String loginPath = tests.loginPath(connection.id(), test.id());
        if (start != null && test.result().isEmpty()) {
            response.setHeader("Refresh", "0; url=" + loginPath);
        }
        model.addAttribute("org", org);
        model.addAttribute("connection", connection);
        model.addAttribute("kindLabel", SsoLabels.kind(connection.kind()));
        model.addAttribute("test", test);
        model.addAttribute("loginPath", loginPath);
        model.addAttribute("result", test.result().orElse(null));
        model.addAttribute("started", DisplayTime.of(test.startedAt(), ""));
        model.addAttribute("completed", test.result().map(r -> DisplayTime.of(r.completedAt(), "")).orElse(""));
        return "sso/test-result";
    }

    @PostMapping("/delete")
    String delete(OrgContext org, @PathVariable String id, @RequestParam(required = false) String confirmed,
                  Model model, RedirectAttributes redirect) {
        ConnectionView connection = SsoConnections.require(connections, org, id);
        if (!Confirmation.given(confirmed)) {
            model.addAttribute("org", org);
            return deleteConfirmation(org, connection).show(model);
        }
        connections.delete(org.organizationId(), connection.id(), org.actor());
        redirect.addFlashAttribute("message", "Connection " + connection.name() + " is deleted.");
        return "redirect:" + SsoPaths.overview(org);
    }

    private static Confirmation deleteConfirmation(OrgContext org, ConnectionView connection) {
        return new Confirmation("Delete " + connection.name() + "?", List.of("Nobody can sign in through it any "
                + "more, and its access grants and group mappings are deleted with it. Members keep their "
                + "membership and their teams; people who only ever signed in through it will need a password or "
                + "another connection."), SsoPaths.connection(org, connection.id()) + "/delete", Map.of(),
                "Delete connection", true, SsoPaths.connection(org, connection.id()));
    }

    private String render(OrgContext org, ConnectionView connection, Model model) {
        model.addAttribute("org", org);
        model.addAttribute("connection", connection);
        model.addAttribute("kindLabel", SsoLabels.kind(connection.kind()));
        model.addAttribute("spValues", spValues(connection));
        model.addAttribute("certificates", connection.idpCertificates().stream().map(CertificateRow::of).toList());
        model.addAttribute("refreshed", DisplayTime.of(connection.metadataRefreshedAt(), "never"));
        model.addAttribute("verifiedDomains", domains.verifiedDomains(org.organizationId()));
        model.addAttribute("directoryManaged", directories.orderedStream()
                .anyMatch(d -> d.managesMembers(org.organizationId())));
        model.addAttribute("confirmDelete", deleteConfirmation(org, connection));
        for (String errors : List.of("settingsErrors", "metadataErrors")) {
            if (!model.containsAttribute(errors)) {
                model.addAttribute(errors, Map.of());
            }
        }
        if (!model.containsAttribute("name")) {
            model.addAttribute("name", connection.name());
        }
        return "sso/connection";
    }


}
