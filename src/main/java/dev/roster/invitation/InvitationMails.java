package dev.roster.invitation;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.roster.account.Account;
import dev.roster.mail.MailOutbox;
import dev.roster.mail.MailSettings;
import dev.roster.mail.MailTemplates;
import dev.roster.membership.Team;
import dev.roster.organization.Organization;
import dev.roster.shared.RosterProperties;
import dev.roster.shared.web.DisplayTime;

/** The invitation email and the notice to the inviter, queued in the caller's transaction. */
@Component
class InvitationMails {

    private static final Logger log = LoggerFactory.getLogger(InvitationMails.class);

    private final MailOutbox outbox;
    private final MailTemplates templates;
    private final MailSettings settings;
    private final RosterProperties roster;

    InvitationMails(MailOutbox outbox, MailTemplates templates, MailSettings settings, RosterProperties roster) {
        this.outbox = outbox;
        this.templates = templates;
        this.settings = settings;
        this.roster = roster;
    }

    static String link(RosterProperties roster, String token) {
        return roster.url("/invitations/accept?token=" + token);
    }

    void invitation(Organization organization, Invitation.Inviter inviter, String email, boolean admin,
                    List<Team> teams, String token, Instant expiresAt, boolean resent) {
        invitation(organization, inviter, null, email, admin, teams, token, expiresAt, resent);
    }

    /**
     * The invitation email; {@code directoryName} set when a directory added the person and the organization needs
     * their consent to make their existing account a member.
     */
    void invitation(Organization organization, Invitation.Inviter inviter, String directoryName, String email,
                    boolean admin, List<Team> teams, String token, Instant expiresAt, boolean resent) {
        String link = link(roster, token);
        Map<String, Object> model = new HashMap<>();
        model.put("directoryName", directoryName);
        model.put("email", email);
        model.put("organizationName", organization.name());
        model.put("inviterName", inviter == null ? null : inviter.displayName());
        model.put("inviterEmail", inviter == null ? null : inviter.email());
        model.put("teams", teams.stream().map(Team::name).toList());
        model.put("admin", admin);
        model.put("link", link);
        model.put("expiresAt", DisplayTime.inWords(expiresAt));
        model.put("resent", resent);
        String subject = directoryName != null
                ? organization.name() + "'s directory added you: join " + organization.name() + " on Roster?"
                : (inviter == null ? "You are invited" : inviter.displayName() + " invited you")
                        + " to join " + organization.name() + " on Roster";
        outbox.enqueue(organization.id(), email, subject, templates.render("invitation", model));
        if (settings.logLinks()) {
            log.info("Invitation link for {} to join {}: {}", email, organization.slug(), link);
        }
    }

    void accepted(Organization organization, Account inviter, Account member, boolean admin, List<Team> teams) {
        Map<String, Object> model = new HashMap<>();
        model.put("organizationName", organization.name());
        model.put("inviterName", inviter.displayName());
        model.put("memberName", member.displayName());
        model.put("memberEmail", member.email());
        model.put("admin", admin);
        model.put("teams", teams.stream().map(Team::name).toList());
        outbox.enqueue(organization.id(), inviter.email(),
                member.displayName() + " accepted your invitation to " + organization.name(),
                templates.render("invitation-accepted", model));
    }

    static String date(Instant instant) {
        return DisplayTime.inWords(instant);
    }
}
