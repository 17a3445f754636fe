package dev.roster.apitoken.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.roster.apitoken.ApiToken;
import dev.roster.apitoken.ApiTokenService;
import dev.roster.apitoken.IssuedApiToken;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.shared.RosterException;
import dev.roster.shared.RosterUser;
import dev.roster.shared.web.Confirmation;
import dev.roster.shared.web.RefusedForm;
import dev.roster.shared.web.SealedFlash;

/**
 * The API tokens page. A new token's secret is rendered straight into the answer to the form that created it, never
 * put in the session or a redirect, so it exists nowhere but in that one page.
 */
@Controller
@RequestMapping("/account/tokens")
class ApiTokenPageController {

    static final int PAGE_SIZE = 50;
    /** The expiry choices of the form, in days; 0 means the token does not expire. */
    static final List<Integer> EXPIRY_DAYS = List.of(7, 30, 90, 365, 0);
    static final int DEFAULT_EXPIRY_DAYS = 30;
    static final String REVOKE_CONSEQUENCE = "Scripts and the command line that use it get 401 from then on. "
            + "A revoked token cannot be turned back on; create a new one if you need it again.";

    private final ApiTokenService tokens;
    private final Clock clock;
    private final SealedFlash sealedFlash;

    ApiTokenPageController(ApiTokenService tokens, Clock clock, SealedFlash sealedFlash) {
        this.sealedFlash = sealedFlash;
        this.tokens = tokens;
        this.clock = clock;
    }

    record Row(UUID id, String name, String status, Instant created, Instant expires, Instant lastUsed) {
    }

    @GetMapping
    String page(@AuthenticationPrincipal RosterUser user, @RequestParam(defaultValue = "0") int page, Model model) {
        return render(user, Math.max(page, 0), model);
    }

    @PostMapping
    String create(@AuthenticationPrincipal RosterUser user, @RequestParam(defaultValue = "") String name,
                  @RequestParam(defaultValue = "30") int expiresInDays, Model model, HttpServletResponse response,
                  RedirectAttributes redirect) {
        try {
            if (!EXPIRY_DAYS.contains(expiresInDays)) {
                throw InvalidRequestException.field("expiresInDays", "Choose one of the offered expiry periods.");
            }
            Instant expiresAt = expiresInDays == 0 ? null : clock.instant().plus(Duration.ofDays(expiresInDays));
            IssuedApiToken issued = tokens.create(user.accountId(), name, expiresAt,
                    Actor.account(user.accountId(), user.email(), Channel.UI));
            // Post/redirect/get: a refresh of the page that shows the secret creates no second token.
            redirect.addFlashAttribute("created", issued.token().name());
            sealedFlash.put(redirect, "secret", issued.secret());
            return "redirect:/account/tokens";
        }
        catch (RosterException ex) {
            RefusedForm.answer(ex, response, model).message("error").fieldErrors("fieldErrors").keep("name", name)
                    .keep("expiresInDays", expiresInDays);
        }
        return render(user, 0, model);
    }

    @PostMapping("/{id}/revoke")
    String revoke(@AuthenticationPrincipal RosterUser user, @PathVariable String id,
                  @RequestParam(required = false) String confirmed, Model model, RedirectAttributes redirect) {
        try {
            UUID tokenId = Ids.parse(id).orElseThrow(() -> new InvalidRequestException("There is no such token."));
            if (!Confirmation.given(confirmed)) {
                ApiToken token = tokens.get(user.accountId(), tokenId);
                return new Confirmation("Revoke the token " + token.name() + "?",
                        List.of(REVOKE_CONSEQUENCE), "/account/tokens/" + tokenId + "/revoke", Map.of(),
                        "Revoke token", true, "/account/tokens").show(model);
            }
            tokens.revoke(user.accountId(), tokenId, Actor.account(user.accountId(), user.email(), Channel.UI));
            redirect.addFlashAttribute("message", "The token is revoked. Scripts that use it now get 401.");
        }
        catch (RosterException ex) {
            redirect.addFlashAttribute("error", ex.getMessage());
        }
        return "redirect:/account/tokens";
    }

    private String render(RosterUser user, int page, Model model) {
        Instant now = clock.instant();
        PageResult<ApiToken> result = tokens.list(user.accountId(), new PageQuery(page, PAGE_SIZE));
        model.addAttribute("tokens", result.items().stream().map(token -> new Row(token.id(), token.name(),
                TokenView.status(token, now), token.createdAt(), token.expiresAt(), token.lastUsedAt()))
                .toList());
        model.addAttribute("page", page);
        model.addAttribute("hasPrevious", page > 0);
        model.addAttribute("hasNext", (long) (page + 1) * PAGE_SIZE < result.total());
        model.addAttribute("expiryChoices", EXPIRY_DAYS);
        model.addAttribute("revokeConsequence", REVOKE_CONSEQUENCE);
        if (!model.containsAttribute("expiresInDays")) {
            model.addAttribute("expiresInDays", DEFAULT_EXPIRY_DAYS);
        }
        if (!model.containsAttribute("fieldErrors")) {
            model.addAttribute("fieldErrors", Map.of());
        }
        return "apitoken/tokens";
    }
}
