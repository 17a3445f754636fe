package dev.roster.audit.web;

import java.io.IOException;
import java.io.Writer;
import java.time.format.DateTimeFormatter;
import java.util.List;

import dev.roster.audit.AuditEvent;

/**
 * The audit log as CSV (RFC 4180): every field quoted when it holds a comma, a quote or a line break, quotes doubled.
 * A field that a spreadsheet would read as a formula (starting with {@code = + - @}, or a tab or carriage return
 * that some spreadsheets skip before one) gets a leading apostrophe, so opening an export never runs what someone
 * typed into a team name or an email address.
 */
final class AuditCsv {

    static final List<String> HEADER = List.of("occurred_at", "actor", "actor_account_id", "channel", "action",
            "target_type", "target_id", "target_label", "before", "after");

    private AuditCsv() {
    }

    static void writeHeader(Writer out) throws IOException {
        writeRow(out, HEADER);
    }

    static void write(Writer out, AuditEvent event) throws IOException {
        writeRow(out, java.util.Arrays.asList(DateTimeFormatter.ISO_INSTANT.format(event.occurredAt()), event.actor(),
                event.actorAccountId() == null ? "" : event.actorAccountId().toString(), event.channel().name(),
                event.action(), event.targetType(), event.targetId(), event.targetLabel(),
                event.before() == null ? "" : event.before().toString(),
                event.after() == null ? "" : event.after().toString()));
    }

    static void writeRow(Writer out, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(field(fields.get(i)));
        }
        out.write("\r\n");
    }

    static String field(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String safe = startsLikeAFormula(value) ? "'" + value : value;
        if (safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\n') >= 0 || safe.indexOf('\r') >= 0) {
            return '"' + safe.replace("\"", "\"\"") + '"';
        }
        return safe;
    }

    private static boolean startsLikeAFormula(String value) {
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
    }
}
