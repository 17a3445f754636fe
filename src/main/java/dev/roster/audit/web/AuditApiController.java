package dev.roster.audit.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.roster.audit.AuditEvent;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.shared.Channel;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.OrgContext;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.shared.RosterUser;

/**
 * Reading the audit log: an organization's events for its admins, and a person's own account events (profile,
 * password, tokens, two-factor), which belong to no organization.
 */
@RestController
class AuditApiController {

    private final AuditLog audit;

    AuditApiController(AuditLog audit) {
        this.audit = audit;
    }

    record ActorView(UUID accountId, String label) {
    }

    record TargetView(String type, String id, String label) {
    }

    record EventView(UUID id, Instant occurredAt, ActorView actor, Channel channel, String action, TargetView target,
                     JsonNode before, JsonNode after) {

        static EventView of(AuditEvent event) {
            return new EventView(event.id(), event.occurredAt(), new ActorView(event.actorAccountId(), event.actor()),
                    event.channel(), event.action(),
                    new TargetView(event.targetType(), event.targetId(), event.targetLabel()), event.before(),
                    event.after());
        }
    }

    /**
     * {@code actor} is an account id or part of the actor's label (an email, a directory's name); {@code target} is a
     * target id or part of its label; {@code from} (inclusive) and {@code to} (exclusive) are ISO-8601 instants.
     */
    @GetMapping("/api/v1/orgs/{slug}/audit-events")
    PageResult<EventView> organizationEvents(OrgContext org, @RequestParam(required = false) String actor,
                                             @RequestParam(required = false) String channel,
                                             @RequestParam(required = false) String action,
                                             @RequestParam(required = false) String target,
                                             @RequestParam(required = false) String from,
                                             @RequestParam(required = false) String to,
                                             @RequestParam(required = false) Integer page,
                                             @RequestParam(required = false) Integer size) {
        return audit.find(org.organizationId(), query(actor, channel, action, target, from, to),
                PageQuery.of(page, size)).map(EventView::of);
    }

    /** The caller's own account events, with the same filters. */
    @GetMapping("/api/v1/me/audit-events")
    PageResult<EventView> accountEvents(@AuthenticationPrincipal RosterUser user,
                                        @RequestParam(required = false) String actor,
                                        @RequestParam(required = false) String channel,
                                        @RequestParam(required = false) String action,
                                        @RequestParam(required = false) String target,
                                        @RequestParam(required = false) String from,
                                        @RequestParam(required = false) String to,
                                        @RequestParam(required = false) Integer page,
                                        @RequestParam(required = false) Integer size) {
        return audit.findForAccount(user.accountId(), query(actor, channel, action, target, from, to),
                PageQuery.of(page, size)).map(EventView::of);
    }

    static AuditQuery query(String actor, String channel, String action, String target, String from, String to) {
        UUID actorId = blank(actor) ? null : Ids.parse(actor.trim()).orElse(null);
        Instant since = instant("from", from);
        Instant until = instant("to", to);
        if (since != null && until != null && !since.isBefore(until)) {
            throw InvalidRequestException.field("to", "'to' must be after 'from'.");
        }
        return new AuditQuery(actorId, actorId != null || blank(actor) ? null : actor.trim(), channel(channel),
                blank(action) ? null : action.trim(), blank(target) ? null : target.trim(), since, until);
    }

    private static Channel channel(String value) {
        if (blank(value)) {
            return null;
        }
        try {
            return Channel.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException ex) {
            throw InvalidRequestException.field("channel", "Unknown channel '" + value.trim()
                    + "'. Use one of ui, api, invitation, sso, scim, system.");
        }
    }

    private static Instant instant(String field, String value) {
        if (blank(value)) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        }
        catch (DateTimeParseException ex) {
            throw InvalidRequestException.field(field, "'" + field
                    + "' is an ISO-8601 instant such as 2025-01-31T00:00:00Z.");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
