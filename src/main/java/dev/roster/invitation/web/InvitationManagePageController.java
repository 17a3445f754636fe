package dev.roster.invitation.web;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.roster.invitation.Invitation;
import dev.roster.invitation.InvitationService;
import dev.roster.invitation.InvitationStatus;
import dev.roster.invitation.InviteResult;
import dev.roster.invitation.Invitee;
import dev.roster.mail.MailStatus;
import dev.roster.membership.TeamPicker;
import dev.roster.membership.TeamService;
import dev.roster.shared.Ids;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.OrgContext;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.shared.RosterException;
import dev.roster.shared.web.Confirmation;
import dev.roster.shared.web.DisplayTime;
import dev.roster.shared.web.Htmx;
import dev.roster.shared.web.PageLinks;
import dev.roster.shared.web.RefusedForm;

/**
 * Manage → Invitations: invite one address or a pasted list (with teams and, after a plain warning, as admins),
 * see what happened to each address, and keep the list tidy: filter by status, resend, revoke, clear expired.
 */
@Controller
@RequestMapping("/orgs/{slug}/manage/invitations")
class InvitationManagePageController {

    static final int PAGE_SIZE = 25;
    /** The team picker lists this many teams, by name; an organization with more invites through the API. */
    private static final String VIEW = "invitation/manage";

    private final InvitationService invitations;
    private final TeamService teams;
    private final MailStatus mail;

    InvitationManagePageController(InvitationService invitations, TeamService teams, MailStatus mail) {
        this.mail = mail;
        this.invitations = invitations;
        this.teams = teams;
    }

    /** One invitation in the list, as shown; {@code note} says what an action just did to it. */
    record Row(UUID id, String email, String status, boolean admin, List<String> teams, String invitedBy,
               Instant sent, Instant expires, Instant closed, boolean canResend, boolean canRevoke, String note,
               boolean noteIsError) {

        static Row of(Invitation invitation, String note, boolean noteIsError) {
            InvitationStatus status = invitation.status();
            return new Row(invitation.id(), invitation.email(), status.apiName(), invitation.admin(),
                    invitation.teams().stream().map(Invitation.TeamRef::name).toList(),
                    invitation.invitedBy() != null ? invitation.invitedBy().displayName()
                            : invitation.invitedByDirectory() != null ? "Directory: " + invitation.invitedByDirectory()
                            : "Roster",
                    invitation.sentAt(), invitation.expiresAt(), invitation.closedAt(),
                    status == InvitationStatus.PENDING || status == InvitationStatus.EXPIRED,
                    status == InvitationStatus.PENDING, note, noteIsError);
        }
    }

    /** What happened to one pasted address, in words, with the teams a new invitation gives. */
    record Outcome(String email, String result, String explanation, boolean invited, String teams)
            implements Serializable {

        static Outcome of(InviteResult result, MailStatus mail) {
            return switch (result.result()) {
                case INVITED -> new Outcome(result.email(), "Invited", mail.deliveryOn()
                        ? "An invitation email is on its way." : "Invitation created. " + mail.whyNoMail(), true,
                        result.teams() == null || result.teams().isEmpty() ? "No team"
                                : String.join(", ", result.teams()));
                case ALREADY_MEMBER -> new Outcome(result.email(), "Already a member",
                        "Nothing was sent: they are in the organization already.", false, "");
                case ALREADY_INVITED -> new Outcome(result.email(), "Already invited",
                        "Their earlier invitation is still pending; resend it from the list if the email got lost.",
                        false, "");
                case INVALID_EMAIL -> new Outcome(result.email().isBlank() ? "(empty)" : result.email(),
                        "Not an email address", "Nothing was sent. Correct it and invite again.", false, "");
                case DUPLICATE -> new Outcome(result.email(), "Listed twice",
                        "Invited once; the repeat was skipped.", false, "");
                case UNKNOWN_TEAM -> new Outcome(result.email(), "Unknown team",
                        "Not invited: " + (result.unknownTeams().size() == 1 ? "there is no team named "
                                : "there are no teams named ") + String.join(", ", result.unknownTeams().stream()
                                .map(t -> "\u201c" + t + "\u201d").toList())
                                + ". Correct the line (or create the team) and invite again.", false,
                        String.join(", ", result.unknownTeams()));
            };
        }
    }

    @GetMapping
    String page(OrgContext org, @RequestParam(required = false) String status,
                @RequestParam(required = false) Integer page, Model model, HttpServletRequest request) {
        InvitationStatus filter = filter(status);
        if (Htmx.wantsFragment(request)) {
            list(org, filter, page, model, request);
            return VIEW + " :: list";
        }
        return render(org, filter, page, model, request);
    }

    @PostMapping
    String invite(OrgContext org, @RequestParam(defaultValue = "") String emails,
                  @RequestParam(required = false) List<String> teams,
                  @RequestParam(defaultValue = "false") boolean admin, Model model, HttpServletRequest request,
                  HttpServletResponse response, RedirectAttributes redirect) {
        List<String> chosenTeams = teams == null ? List.of() : teams;
        List<Invitee> invitees = InviteeList.parse(emails);
        try {
            List<InviteResult> results = invitations.inviteEach(org.organizationId(), invitees, chosenTeams, admin,
                    org.actor());
            // Post/redirect/get: the per-address results travel to the list page, so a refresh invites nobody again.
            List<Outcome> outcomes = results.stream().map(result -> Outcome.of(result, mail)).toList();
            redirect.addFlashAttribute("outcomes", new ArrayList<>(outcomes));
            redirect.addFlashAttribute("outcomeSummary", summary(results));
            // Addresses that were not valid, and lines naming a team there is none of, stay in the box, ready to be
            // corrected and sent again.
            List<String> invalid = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                InviteResult r = results.get(i);
                if (r.result() == InviteResult.Outcome.INVALID_EMAIL && !r.email().isBlank()) {
                    invalid.add(r.email());
                }
                else if (r.result() == InviteResult.Outcome.UNKNOWN_TEAM) {
                    invalid.add(r.email() + ", " + String.join("; ", invitees.get(i).teams()));
                }
            }
            if (!invalid.isEmpty()) {
                redirect.addFlashAttribute("emails", String.join("\n", invalid));
                redirect.addFlashAttribute("selectedTeams", new ArrayList<>(chosenTeams));
                redirect.addFlashAttribute("admin", admin);
            }
            return "redirect:/orgs/" + org.slug() + "/manage/invitations";
        }
        catch (RosterException ex) {
            RefusedForm.answer(ex, response, model).fieldErrors("fieldErrors").messageUnlessFieldErrors("error")
                    .keep("emails", emails).keep("selectedTeams", chosenTeams).keep("admin", admin);
        }
        return render(org, null, 0, model, request);
    }

    @PostMapping("/{id}/resend")
    String resend(OrgContext org, @PathVariable String id, Model model, HttpServletRequest request,
                  RedirectAttributes redirect) {
        UUID invitationId = invitationId(id);
        Row row;
        try {
            Invitation sent = invitations.resend(org.organizationId(), invitationId, org.actor());
            row = Row.of(sent, "Sent again. The new link works until " + DisplayTime.of(sent.expiresAt(), "") + ".",
                    false);
        }
        catch (RosterException ex) {
            RefusedForm.rethrowIfNotFound(ex);
            row = Row.of(invitations.get(org.organizationId(), invitationId), ex.getMessage(), true);
        }
        if (Htmx.wantsFragment(request)) {
            model.addAttribute("org", org);
            model.addAttribute("rows", List.of(row));
            return VIEW + " :: row";
        }
        redirect.addFlashAttribute(row.noteIsError() ? "error" : "message", row.email() + ": " + row.note());
        return redirectToList(org);
    }

    @PostMapping("/{id}/revoke")
    String revoke(OrgContext org, @PathVariable String id, @RequestParam(required = false) String confirmed,
                  Model model, RedirectAttributes redirect) {
        UUID invitationId = invitationId(id);
        if (!Confirmation.given(confirmed)) {
            Invitation invitation = invitations.get(org.organizationId(), invitationId);
            model.addAttribute("org", org);
            return new Confirmation("Revoke the invitation to " + invitation.email() + "?",
                    List.of("The link in the invitation email stops working. You can invite the address again "
                            + "later."),
                    "/orgs/" + org.slug() + "/manage/invitations/" + invitationId + "/revoke", Map.of(),
                    "Revoke invitation", true, "/orgs/" + org.slug() + "/manage/invitations").show(model);
        }
        try {
            Invitation revoked = invitations.revoke(org.organizationId(), invitationId, org.actor());
            redirect.addFlashAttribute("message", "The invitation to " + revoked.email()
                    + " is revoked; its link no longer works.");
        }
        catch (RosterException ex) {
            RefusedForm.rethrowIfNotFound(ex);
            redirect.addFlashAttribute("error", ex.getMessage());
        }
        return redirectToList(org);
    }

    @PostMapping("/clear-expired")
    String clearExpired(OrgContext org, @RequestParam(required = false) String confirmed, Model model,
                        RedirectAttributes redirect) {
        if (!Confirmation.given(confirmed)) {
            model.addAttribute("org", org);
            return new Confirmation("Clear expired invitations?",
                    List.of("Every expired invitation is deleted from the list. Their links stopped working "
                            + "already; the audit log keeps a record of each one."),
                    "/orgs/" + org.slug() + "/manage/invitations/clear-expired", Map.of(), "Clear expired", true,
                    "/orgs/" + org.slug() + "/manage/invitations").show(model);
        }
        int cleared = invitations.clearExpired(org.organizationId(), org.actor());
        redirect.addFlashAttribute("message", switch (cleared) {
            case 0 -> "There were no expired invitations to clear.";
            case 1 -> "Cleared 1 expired invitation.";
            default -> "Cleared " + cleared + " expired invitations.";
        });
        return redirectToList(org);
    }

    private String render(OrgContext org, InvitationStatus filter, Integer page, Model model,
                          HttpServletRequest request) {
        model.addAttribute("org", org);
        list(org, filter, page, model, request);
        if (!model.containsAttribute("fieldErrors")) {
            model.addAttribute("fieldErrors", Map.of());
        }
        @SuppressWarnings("unchecked")
        List<String> selected = (List<String>) model.getAttribute("selectedTeams");
        List<String> chosen = selected == null ? List.of() : selected;
        TeamPicker picker = TeamPicker.checkboxes("team", "teams", TeamPicker.Value.NAME,
                teams.choices(org.organizationId(), chosen), chosen);
        boolean teamsInvalid = ((Map<?, ?>) model.getAttribute("fieldErrors")).containsKey("teams");
        model.addAttribute("teamPicker", teamsInvalid ? picker.withError("teams-error") : picker);
        if (!model.containsAttribute("admin")) {
            model.addAttribute("admin", false);
        }
        return VIEW;
    }

    private void list(OrgContext org, InvitationStatus filter, Integer page, Model model, HttpServletRequest request) {
        PageResult<Invitation> result = invitations.list(org.organizationId(), filter,
                new PageQuery(page == null ? 0 : Math.max(page, 0), PAGE_SIZE));
        model.addAttribute("org", org);
        model.addAttribute("status", filter == null ? "" : filter.apiName());
        model.addAttribute("statuses", InvitationStatus.values());
        model.addAttribute("rows", result.items().stream().map(i -> Row.of(i, null, false)).toList());
        model.addAttribute("links", PageLinks.of(result, request));
    }

    private static String summary(List<InviteResult> results) {
        Map<InviteResult.Outcome, Integer> counts = new LinkedHashMap<>();
        results.forEach(r -> counts.merge(r.result(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        counts.forEach((outcome, count) -> parts.add(count + " " + switch (outcome) {
            case INVITED -> "invited";
            case ALREADY_MEMBER -> count == 1 ? "already a member" : "already members";
            case ALREADY_INVITED -> "already invited";
            case INVALID_EMAIL -> count == 1 ? "not an email address" : "not email addresses";
            case DUPLICATE -> count == 1 ? "repeat skipped" : "repeats skipped";
            case UNKNOWN_TEAM -> "not invited for an unknown team";
        }));
        return String.join(", ", parts) + ".";
    }

    private static InvitationStatus filter(String status) {
        return status == null || status.isBlank() ? null : InvitationStatus.parse("status", status);
    }

    private static UUID invitationId(String raw) {
        return Ids.parse(raw).orElseThrow(() -> new NotFoundException("invitation-not-found", "Invitation not found."));
    }

    private static String redirectToList(OrgContext org) {
        return "redirect:/orgs/" + org.slug() + "/manage/invitations";
    }
}
