package dev.roster.invitation.web;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The addresses an admin pasted into the invitation form: separated by commas, semicolons, spaces or new lines, as
 * they come out of a spreadsheet column or a mail client ({@code Jane Doe <jane@example.com>; bob@example.com}).
 * Nothing is validated here: every piece goes to the invitation service, which answers for each one.
 */
final class AddressList {

    private static final Pattern ENTRY_SEPARATOR = Pattern.compile("[,;\\r\\n]+");
    private static final Pattern BRACKETED = Pattern.compile("<([^<>]*)>");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern QUOTED_NAME = Pattern.compile("\"[^\"]*\"");

    private AddressList() {
    }

    static List<String> parse(String pasted) {
        List<String> addresses = new ArrayList<>();
        if (pasted == null) {
            return addresses;
        }
        // A quoted display name ("Doe, Jane" <jane@example.com>) may hold separators; it is never the address.
        String names = QUOTED_NAME.matcher(pasted).replaceAll(" ");
        for (String entry : ENTRY_SEPARATOR.split(names)) {
            Matcher bracketed = BRACKETED.matcher(entry);
            if (bracketed.find()) {
                // "Name <address>": the name is not an address.
                addresses.add(bracketed.group(1).trim());
                continue;
            }
            for (String piece : WHITESPACE.split(entry.trim())) {
                if (!piece.isEmpty()) {
                    addresses.add(piece);
                }
            }
        }
        return addresses;
    }
}
