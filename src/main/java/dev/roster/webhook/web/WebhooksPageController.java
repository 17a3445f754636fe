package dev.roster.webhook.web;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

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
import dev.roster.shared.NotFoundException;
import dev.roster.shared.OrgContext;
import dev.roster.shared.RosterException;
import dev.roster.shared.web.Confirmation;
import dev.roster.shared.web.DisplayTime;
import dev.roster.shared.web.RefusedForm;
import dev.roster.webhook.WebhookAttempt;
import dev.roster.webhook.WebhookEndpoint;
import dev.roster.webhook.WebhookService;
import dev.roster.shared.web.SealedFlash;

/**
 * Manage → Webhooks: the organization's endpoints and their health, adding one (its secret is shown once), and each
 * endpoint's page: its recent deliveries with the payload and the answer, retry, a test event, secret rotation,
 * editing, enabling and disabling, deleting. Works without script; destructive actions ask first.
 */
@Controller
@RequestMapping("/orgs/{slug}/manage/webhooks")
class WebhooksPageController {

    static final int RECENT = 50;

    private final WebhookService webhooks;
    private final ObjectMapper json;
    private final SealedFlash sealedFlash;

    WebhooksPageController(WebhookService webhooks, ObjectMapper json, SealedFlash sealedFlash) {
        this.sealedFlash = sealedFlash;
        this.webhooks = webhooks;
        this.json = json;
    }

    /** An endpoint in the list, and how it is doing. */
    record EndpointRow(UUID id, String url, String description, String events, boolean enabled, String state,
                       Instant lastSuccess, int failures, Instant nextAttempt, long behind) {
    }

    /** One attempt on an endpoint's page, with what was sent and answered. */
    record AttemptRow(UUID id, Instant when, String whenExact, String eventType, String trigger, boolean succeeded, String answer,
                      int durationMs, Instant nextAttempt, String payload, String response) {
    }

    @GetMapping
    String list(OrgContext org, Model model) {
        return renderList(org, model);
    }

    @PostMapping
    String create(OrgContext org, @RequestParam(defaultValue = "") String url,
                  @RequestParam(defaultValue = "*") String events, @RequestParam(defaultValue = "") String description,
                  Model model, HttpServletResponse response, RedirectAttributes redirect) {
        try {
            WebhookService.Created created = webhooks.create(org.organizationId(), url, patterns(events), description,
                    org.actor());
            // Post/redirect/get: a refresh of the endpoint's page adds no second endpoint.
            redirect.addFlashAttribute("message", "The endpoint is added. Copy its signing secret now: it is shown "
                    + "only this once.");
            sealedFlash.put(redirect, "secret", created.secret());
            return "redirect:" + path(org, created.endpoint().id());
        }
        catch (RosterException ex) {
            RefusedForm.answer(ex, response, model).fieldErrors("fieldErrors", "url").keep("url", url)
                    .keep("events", events).keep("description", description);
            return renderList(org, model);
        }
    }

    @GetMapping("/{id}")
    String endpoint(OrgContext org, @PathVariable String id, Model model) {
        // A secret made by the form before the redirect arrives as a flash attribute, shown this once.
        return renderEndpoint(org, require(org, id), (String) model.getAttribute("secret"), model);
    }

    @PostMapping("/{id}")
    String update(OrgContext org, @PathVariable String id, @RequestParam(defaultValue = "") String url,
                  @RequestParam(defaultValue = "") String events, @RequestParam(defaultValue = "") String description,
                  Model model, HttpServletResponse response, RedirectAttributes redirect) {
        WebhookEndpoint endpoint = require(org, id);
        try {
            webhooks.update(org.organizationId(), endpoint.id(), new WebhookService.Change(url, patterns(events), null,
                    description), org.actor());
            redirect.addFlashAttribute("message", "The endpoint is saved.");
            return "redirect:" + path(org, endpoint.id());
        }
        catch (RosterException ex) {
            RefusedForm.rethrowIfNotFound(ex);
            RefusedForm.answer(ex, response, model).fieldErrors("fieldErrors", "url").keep("url", url)
                    .keep("events", events).keep("description", description);
            return renderEndpoint(org, endpoint, null, model);
        }
    }

    @PostMapping("/{id}/enable")
    String enable(OrgContext org, @PathVariable String id, RedirectAttributes redirect) {
        WebhookEndpoint endpoint = require(org, id);
        webhooks.update(org.organizationId(), endpoint.id(), new WebhookService.Change(null, null, true, null),
                org.actor());
        redirect.addFlashAttribute("message", "The endpoint is enabled: delivery goes on from the first event it has "
                + "not received.");
        return "redirect:" + path(org, endpoint.id());
    }

    @PostMapping("/{id}/disable")
    String disable(OrgContext org, @PathVariable String id, @RequestParam(required = false) String confirmed,
                   Model model, RedirectAttributes redirect) {
        WebhookEndpoint endpoint = require(org, id);
        if (!Confirmation.given(confirmed)) {
            model.addAttribute("org", org);
            return disableConfirmation(org, endpoint).show(model);
        }
        webhooks.update(org.organizationId(), endpoint.id(), new WebhookService.Change(null, null, false, null),
                org.actor());
        redirect.addFlashAttribute("message", "The endpoint is disabled. Events wait for it until you enable it again "
                + "(for as long as events are kept).");
        return "redirect:" + path(org, endpoint.id());
    }

    @PostMapping("/{id}/test")
    String test(OrgContext org, @PathVariable String id, RedirectAttributes redirect) {
        WebhookEndpoint endpoint = require(org, id);
        WebhookAttempt attempt = webhooks.test(org.organizationId(), endpoint.id(), org.actor());
        redirect.addFlashAttribute(attempt.succeeded() ? "message" : "error", attempt.succeeded()
                ? "The test event was delivered: the endpoint answered " + attempt.responseStatus() + "."
                : "The test event was not delivered: " + answer(attempt) + ".");
        return "redirect:" + path(org, endpoint.id()) + "#deliveries-heading";
    }

    @PostMapping("/{id}/deliveries/{attemptId}/retry")
    String retry(OrgContext org, @PathVariable String id, @PathVariable String attemptId,
                 RedirectAttributes redirect) {
        WebhookEndpoint endpoint = require(org, id);
        UUID attemptUuid = Ids.parse(attemptId).orElseThrow(() -> new NotFoundException("Delivery not found."));
        try {
            WebhookAttempt attempt = webhooks.retry(org.organizationId(), endpoint.id(), attemptUuid, org.actor());
            redirect.addFlashAttribute(attempt.succeeded() ? "message" : "error", attempt.succeeded()
                    ? "The event was delivered again: the endpoint answered " + attempt.responseStatus() + "."
                    : "The retry failed: " + answer(attempt) + ".");
        }
        catch (RosterException ex) {
            RefusedForm.rethrowIfNotFound(ex);
            redirect.addFlashAttribute("error", ex.getMessage());
        }
        return "redirect:" + path(org, endpoint.id()) + "#deliveries-heading";
    }

    @PostMapping("/{id}/rotate-secret")
    String rotate(OrgContext org, @PathVariable String id, @RequestParam(required = false) String confirmed,
                  Model model, RedirectAttributes redirect) {
        WebhookEndpoint endpoint = require(org, id);
        if (!Confirmation.given(confirmed)) {
            model.addAttribute("org", org);
            return rotateConfirmation(org, endpoint).show(model);
        }
        WebhookService.Rotated rotated = webhooks.rotate(org.organizationId(), endpoint.id(), org.actor());
        redirect.addFlashAttribute("message", "A new signing secret is made. Until "
                + DisplayTime.inWords(rotated.previousSecretUntil()) + " every delivery is signed with both the old "
                + "and the new secret; put the new one in your application before then.");
        sealedFlash.put(redirect, "secret", rotated.secret());
        return "redirect:" + path(org, endpoint.id());
    }

    @PostMapping("/{id}/delete")
    String delete(OrgContext org, @PathVariable String id, @RequestParam(required = false) String confirmed,
                  Model model, RedirectAttributes redirect) {
        WebhookEndpoint endpoint = require(org, id);
        if (!Confirmation.given(confirmed)) {
            model.addAttribute("org", org);
            return deleteConfirmation(org, endpoint).show(model);
        }
        webhooks.delete(org.organizationId(), endpoint.id(), org.actor());
        redirect.addFlashAttribute("message", "The endpoint " + endpoint.url() + " is deleted.");
        return "redirect:/orgs/" + org.slug() + "/manage/webhooks";
    }

    private String renderList(OrgContext org, Model model) {
        model.addAttribute("org", org);
        model.addAttribute("endpoints", webhooks.list(org.organizationId()).stream().map(this::row).toList());
        if (!model.containsAttribute("fieldErrors")) {
            model.addAttribute("fieldErrors", Map.of());
        }
        if (!model.containsAttribute("events")) {
            model.addAttribute("events", "*");
        }
        return "webhook/webhooks";
    }

    private String renderEndpoint(OrgContext org, WebhookEndpoint endpoint, String secret, Model model) {
        List<WebhookAttempt> attempts = webhooks.attempts(org.organizationId(), endpoint.id(), null, RECENT);
        Map<UUID, String> payloads = webhooks.payloads(org.organizationId(), attempts);
        model.addAttribute("org", org);
        model.addAttribute("endpoint", row(endpoint));
        model.addAttribute("secret", secret);
        model.addAttribute("attempts", attempts.stream().map(a -> attemptRow(a, payloads.get(a.id()))).toList());
        model.addAttribute("toggle", endpoint.enabled() ? disableConfirmation(org, endpoint) : null);
        model.addAttribute("rotation", rotateConfirmation(org, endpoint));
        model.addAttribute("deletion", deleteConfirmation(org, endpoint));
        model.addAttribute("previousSecretUntil", endpoint.previousSecretUntil() != null
                && endpoint.previousSecretUntil().isAfter(java.time.Instant.now())
                ? DisplayTime.of(endpoint.previousSecretUntil(), null) : null);
        if (!model.containsAttribute("fieldErrors")) {
            model.addAttribute("fieldErrors", Map.of());
        }
        if (!model.containsAttribute("url")) {
            model.addAttribute("url", endpoint.url());
            model.addAttribute("events", String.join(", ", endpoint.events().patterns()));
            model.addAttribute("description", endpoint.description() == null ? "" : endpoint.description());
        }
        return "webhook/endpoint";
    }

    private EndpointRow row(WebhookEndpoint e) {
        String state = e.enabled() ? (e.failures() > 0 ? "failing" : "healthy")
                : "gone".equals(e.disabledReason()) ? "disabled: it answered 410 Gone"
                : "failing".equals(e.disabledReason()) ? "disabled: every retry failed" : "disabled";
        return new EndpointRow(e.id(), e.url(), e.description(), String.join(", ", e.events().patterns()),
                e.enabled(), state, e.lastSuccessAt(), e.failures(),
                e.enabled() && e.failures() > 0 ? e.nextAttemptAt() : null,
                webhooks.backlog(e).behind());
    }

    private AttemptRow attemptRow(WebhookAttempt a, String payload) {
        return new AttemptRow(a.id(), a.attemptedAt(), DisplayTime.of(a.attemptedAt(), ""), a.eventType(), a.trigger(), a.succeeded(),
                answer(a), a.durationMs(), a.nextAttemptAt(), pretty(payload),
                a.responseBody() == null || a.responseBody().isEmpty() ? null : a.responseBody());
    }

    private static String answer(WebhookAttempt a) {
        return a.responseStatus() != null ? "HTTP " + a.responseStatus() : a.error();
    }

    private String pretty(String payload) {
        if (payload == null) {
            return null;
        }
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(payload));
        }
        catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            return payload;
        }
    }

    private static List<String> patterns(String events) {
        return Arrays.stream(events.split("[,\\s]+")).filter(p -> !p.isBlank()).toList();
    }

    private WebhookEndpoint require(OrgContext org, String id) {
        return webhooks.get(org.organizationId(),
                Ids.parse(id).orElseThrow(() -> new NotFoundException("Webhook not found.")));
    }

    private static String path(OrgContext org, UUID id) {
        return "/orgs/" + org.slug() + "/manage/webhooks/" + id;
    }

    private static Confirmation disableConfirmation(OrgContext org, WebhookEndpoint endpoint) {
        return new Confirmation("Disable the endpoint " + endpoint.url() + "?", List.of("Roster stops sending it "
                + "events. They wait, in order, until you enable it again, for as long as events are kept."),
                path(org, endpoint.id()) + "/disable", Map.of(), "Disable", true, path(org, endpoint.id()));
    }

    private static Confirmation rotateConfirmation(OrgContext org, WebhookEndpoint endpoint) {
        return new Confirmation("Make a new signing secret for " + endpoint.url() + "?", List.of("For 24 hours every "
                + "delivery is signed with the old and the new secret, so your application can switch without "
                + "missing an event. After that only the new secret signs."), path(org, endpoint.id())
                + "/rotate-secret", new LinkedHashMap<>(), "Make a new secret", false, path(org, endpoint.id()));
    }

    private static Confirmation deleteConfirmation(OrgContext org, WebhookEndpoint endpoint) {
        return new Confirmation("Delete the endpoint " + endpoint.url() + "?", List.of("Roster stops sending it "
                + "events and forgets its deliveries. Events already sent stay sent."), path(org, endpoint.id())
                + "/delete", Map.of(), "Delete endpoint", true, path(org, endpoint.id()));
    }
}
