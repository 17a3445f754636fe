package dev.roster.webhook;

import java.util.HashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.roster.mail.MailOutbox;
import dev.roster.mail.MailTemplates;
import dev.roster.organization.Organization;
import dev.roster.shared.RosterProperties;

/**
 * Tells an organization's admins that an endpoint was disabled, by email, queued in the transaction that disables it.
 */
@Component
class WebhookAlerts {

    private final MailOutbox outbox;
    private final MailTemplates templates;
    private final WebhookOrganizations organizations;
    private final RosterProperties roster;

    WebhookAlerts(MailOutbox outbox, MailTemplates templates, WebhookOrganizations organizations,
                  RosterProperties roster) {
        this.outbox = outbox;
        this.templates = templates;
        this.organizations = organizations;
        this.roster = roster;
    }

    void disabled(WebhookEndpoint endpoint, String reason, int attempts, String lastAnswer) {
        Organization organization = organizations.organization(endpoint.organizationId());
        Map<String, Object> model = new HashMap<>();
        model.put("organizationName", organization.name());
        model.put("url", endpoint.url());
        model.put("gone", "gone".equals(reason));
        model.put("attempts", attempts);
        model.put("lastAnswer", lastAnswer);
        model.put("link", roster.url("/orgs/" + organization.slug() + "/manage/webhooks/" + endpoint.id()));
        String subject = "A webhook endpoint of " + organization.name() + " is disabled";
        for (String admin : organizations.adminEmails(endpoint.organizationId())) {
            outbox.enqueue(endpoint.organizationId(), admin, subject, templates.render("webhook-disabled", model));
        }
    }
}
