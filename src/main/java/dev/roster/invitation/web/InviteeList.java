package dev.roster.invitation.web;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.roster.invitation.Invitee;

/**
 * The invitation form's pasted list, line by line. A line with one address and more after it carries that person's
 * own teams: {@code ann@example.com, Platform; Data} (a comma, or a tab as a spreadsheet's two columns give, after
 * the address; the teams separated by semicolons or further commas; a team name with a comma in double quotes).
 * {@code ann@example.com; Platform} reads the same. Any other line is a list of addresses, read by
 * {@link AddressList} as before, for the form's teams: one address per line, several separated by commas, spaces
 * or semicolons, {@code Name <address>}. Nothing is validated here: the service answers for each invitee.
 */
final class InviteeList {

    private static final Pattern LINES = Pattern.compile("\\r\\n|\\r|\\n");
    /** A quoted display name right before an address in brackets: never a team. */
    private static final Pattern QUOTED_NAME = Pattern.compile("\"[^\"]*\"\\s*(?=<)");

    private InviteeList() {
    }

    static List<Invitee> parse(String pasted) {
        List<Invitee> invitees = new ArrayList<>();
        if (pasted == null) {
            return invitees;
        }
        for (String raw : LINES.split(pasted)) {
            String line = QUOTED_NAME.matcher(raw).replaceAll(" ").strip();
            if (line.isEmpty()) {
                continue;
            }
            List<String> fields = fields(line);
            List<String> addresses = AddressList.parse(fields.get(0));
            List<String> teams = teams(fields.subList(1, fields.size()));
            if (addresses.size() != 1 || teams.isEmpty() || teams.stream().anyMatch(t -> t.contains("@"))) {
                // Not "one address, its teams": a plain list of addresses, as the form always read it.
                AddressList.parse(line).forEach(address -> invitees.add(new Invitee(address, null)));
                continue;
            }
            invitees.add(new Invitee(addresses.get(0), teams));
        }
        return invitees;
    }

    /** The line's fields: split at tabs if it has any, else at commas, else at semicolons; double quotes group. */
    private static List<String> fields(String line) {
        char separator = line.indexOf('\t') >= 0 ? '\t' : hasUnquoted(line, ',') ? ',' : ';';
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                }
                else {
                    quoted = !quoted;
                }
            }
            else if (c == separator && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            }
            else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    private static boolean hasUnquoted(String line, char wanted) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            else if (c == wanted && !quoted) {
                return true;
            }
        }
        return false;
    }

    /** Team names from the fields after the address: each field may list several, separated by semicolons. */
    private static List<String> teams(List<String> fields) {
        Set<String> teams = new LinkedHashSet<>();
        for (String field : fields) {
            for (String name : field.split(";")) {
                String trimmed = name.strip();
                if (!trimmed.isEmpty()) {
                    teams.add(trimmed);
                }
            }
        }
        return new ArrayList<>(teams);
    }
}
