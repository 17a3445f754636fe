package dev.roster.audit.web;

import java.io.IOException;
import java.io.Writer;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.QuoteMode;

import dev.roster.audit.AuditEvent;

/**
 * The audit log as CSV (RFC 4180): every field quoted when it holds a comma, a quote or a line break, quotes doubled.
 * A field that a spreadsheet would read as a formula (starting with {@code = + - @}, or a tab or carriage return
 * that some spreadsheets skip before one) gets a leading apostrophe, so opening an export never runs what someone
 * typed into a team name or an email address.
 */
final class AuditCsv {

    /** RFC 4180 (comma, double quotes doubled, CRLF), quoting only the fields that need it. */
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.MINIMAL).get();

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
        // Commons CSV quotes and escapes (RFC 4180, CRLF line ends); the formula guard is Roster's own.
        FORMAT.printRecord(out, fields.stream().map(AuditCsv::defused).toArray());
    }

    private static String defused(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        return startsLikeAFormula(value) ? "'" + value : value;
    }

    private static boolean startsLikeAFormula(String value) {
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
    }
}
