package dev.roster.scim.web;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.roster.scim.directory.ScimDirectory;
import dev.roster.scim.directory.ScimDirectoryService;
import dev.roster.scim.directory.ScimSettingsService;
import dev.roster.scim.directory.ScimToken;
import dev.roster.shared.OrgContext;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.shared.RosterException;
import dev.roster.shared.web.Confirmation;
import dev.roster.shared.web.PageLinks;
import dev.roster.shared.web.RefusedForm;
import dev.roster.shared.web.SealedFlash;

/**
 * Manage → Provisioning: the organization's SCIM directories, creating one (its tenant URL and first token are shown
 * once, on the directory's page), and what a directory's {@code active=false} does to a membership.
 */
@Controller
@RequestMapping("/orgs/{slug}/manage/provisioning")
class ProvisioningPageController {

    static final int PAGE_SIZE = 25;

    private final ScimDirectoryService directories;
    private final ScimSettingsService settings;
    private final DirectoryPage directoryPage;
    private final SealedFlash sealedFlash;

    ProvisioningPageController(ScimDirectoryService directories, ScimSettingsService settings,
                               DirectoryPage directoryPage, SealedFlash sealedFlash) {
        this.sealedFlash = sealedFlash;
        this.directories = directories;
        this.settings = settings;
        this.directoryPage = directoryPage;
    }

    /** A directory in the list. */
    record DirectoryRow(UUID id, String name, String kind, long liveTokens, Instant lastUsed, Instant created) {

        static DirectoryRow of(ScimDirectory directory, List<ScimToken> tokens) {
            List<ScimToken> live = tokens.stream().filter(ScimToken::active).toList();
            Instant lastUsed = live.stream().map(ScimToken::lastUsedAt).filter(Objects::nonNull)
                    .max(Comparator.naturalOrder()).orElse(null);
            return new DirectoryRow(directory.id(), directory.name(), ProvisioningLabels.kind(directory.kind()),
                    live.size(), lastUsed, directory.createdAt());
        }
    }

    @GetMapping
    String page(OrgContext org, @RequestParam(required = false) Integer page, Model model,
                HttpServletRequest request) {
        return render(org, page, model, request);
    }

    @PostMapping("/directories")
    String create(OrgContext org, @RequestParam(defaultValue = "") String name,
                  @RequestParam(defaultValue = "") String kind, Model model, HttpServletRequest request,
                  HttpServletResponse response, RedirectAttributes redirect) {
        try {
            ScimDirectoryService.CreatedDirectory created = directories.create(org.organizationId(), name, kind, null,
                    org.actor());
            // Post/redirect/get: a refresh of the directory's page creates no second directory.
            redirect.addFlashAttribute("message", "Directory " + created.directory().name() + " is created. Copy its "
                    + "token now: it is shown only this once.");
            sealedFlash.put(redirect, "secret", created.token().secret());
            return "redirect:" + ProvisioningPaths.directory(org, created.directory().id());
        }
        catch (RosterException ex) {
            RefusedForm.answer(ex, response, model).fieldErrors("fieldErrors", "name").keep("name", name)
                    .keep("kind", kind);
            return render(org, 0, model, request);
        }
    }

    @PostMapping("/settings")
    String updateSettings(OrgContext org, @RequestParam(defaultValue = "") String onDeactivate,
                          @RequestParam(required = false) String confirmed, Model model, HttpServletRequest request,
                          HttpServletResponse response, RedirectAttributes redirect) {
        boolean toRemove = "remove".equalsIgnoreCase(onDeactivate.trim());
        if (toRemove && settings.onDeactivate(org.organizationId()) != ScimSettingsService.OnDeactivate.REMOVE
                && !Confirmation.given(confirmed)) {
            model.addAttribute("org", org);
            return new Confirmation("Remove people when the directory deactivates them?", List.of(
                    "When your identity provider sets someone inactive, Roster then ends their membership and their "
                            + "teams instead of suspending it. Turning them active again does not bring them back: "
                            + "they would need a new invitation, or the directory to provision them anew."),
                    ProvisioningPaths.overview(org) + "/settings", Map.of("onDeactivate", "remove"),
                    "Remove on deactivation", true, ProvisioningPaths.overview(org)).show(model);
        }
        try {
            ScimSettingsService.OnDeactivate saved = settings.update(org.organizationId(), onDeactivate, org.actor());
            redirect.addFlashAttribute("message", saved == ScimSettingsService.OnDeactivate.REMOVE
                    ? "Deactivated people are now removed from the organization."
                    : "Deactivated people are now suspended, and come back with their teams when reactivated.");
            return "redirect:" + ProvisioningPaths.overview(org) + "#settings-heading";
        }
        catch (RosterException ex) {
            RefusedForm.answer(ex, response, model).message("settingsError");
            return render(org, 0, model, request);
        }
    }

    private String render(OrgContext org, Integer page, Model model, HttpServletRequest request) {
        PageResult<ScimDirectory> result = directories.list(org.organizationId(),
                new PageQuery(page == null ? 0 : Math.max(page, 0), PAGE_SIZE));
        model.addAttribute("org", org);
        model.addAttribute("directories", result.items().stream()
                .map(d -> DirectoryRow.of(d, directories.tokens(org.organizationId(), d.id()))).toList());
        model.addAttribute("links", PageLinks.of(result, request));
        model.addAttribute("onDeactivate", settings.onDeactivate(org.organizationId()).apiName());
        if (!model.containsAttribute("fieldErrors")) {
            model.addAttribute("fieldErrors", Map.of());
        }
        if (!model.containsAttribute("kind")) {
            model.addAttribute("kind", "entra");
        }
        return "scim/provisioning";
    }
}
