package dev.roster.scim.protocol;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads the parentheses, brackets and quotes of a filter or attribute path before the SDK parses it. The SDK accepts
 * an unclosed {@code emails[type eq "work"} and nests parentheses as deep as it is given; Roster refuses both here,
 * with a sentence that says where, and counts every parenthesis and bracket against the nesting cap, so a filter
 * wrapped in redundant parentheses cannot pass it.
 */
final class Nesting {

    private Nesting() {
    }

    /**
     * @param text     the filter or path as the client sent it
     * @param what     "filter" or "path", for the sentence
     * @param maxDepth parentheses and brackets open at once, at most
     */
    static void check(String text, String scimType, String what, int maxDepth) {
        Deque<Integer> open = new ArrayDeque<>();
        int bracket = -1;
        int quote = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote >= 0) {
                if (c == '\\') {
                    i++;
                }
                else if (c == '"') {
                    quote = -1;
                }
                continue;
            }
            switch (c) {
                case '"' -> quote = i;
                case '(' -> open.push(i);
                case '[' -> {
                    if (bracket >= 0) {
                        throw ScimError.badRequest(scimType, "The " + what + " opens '[' at character " + (i + 1)
                                + " inside another value filter [...]; value filters do not nest.");
                    }
                    bracket = i;
                    open.push(i);
                }
                case ')', ']' -> {
                    char expected = c == ')' ? '(' : '[';
                    if (open.isEmpty() || text.charAt(open.peek()) != expected) {
                        throw ScimError.badRequest(scimType, "The " + what + " closes '" + c + "' at character "
                                + (i + 1) + " without a matching '" + expected + "' before it.");
                    }
                    open.pop();
                    if (c == ']') {
                        bracket = -1;
                    }
                }
                default -> {
                }
            }
            if (open.size() > maxDepth) {
                throw ScimError.badRequest(scimType, "A " + what + " nests at most " + maxDepth
                        + " levels of parentheses and brackets; this one goes deeper at character " + (i + 1) + ".");
            }
        }
        if (quote >= 0) {
            throw ScimError.badRequest(scimType, "The " + what + " opens a string with '\"' at character " + (quote + 1)
                    + " and never closes it.");
        }
        if (!open.isEmpty()) {
            int at = open.peek();
            throw ScimError.badRequest(scimType, "The " + what + " opens '" + text.charAt(at) + "' at character "
                    + (at + 1) + " and never closes it with '" + (text.charAt(at) == '(' ? ')' : ']') + "'.");
        }
    }
}
