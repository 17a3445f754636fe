package dev.roster.scim.requestlog;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;

/**
 * Makes whatever a client sent storable in the request log, so writing an entry never fails on its content: bodies
 * decoded in the charset they came in (a UTF-16 body is not read as UTF-8 full of NULs), control characters and NUL
 * (which PostgreSQL's text cannot hold) escaped as {@code \\u0000}, unpaired surrogates replaced, and values cut to
 * their column's size with a marker saying so.
 */
final class LogValues {

    static final String CUT = "… [truncated]";

    private LogValues() {
    }

    /** {@code value} cleaned and, if longer than {@code max} characters, cut to exactly {@code max} with the marker. */
    static String fit(String value, int max) {
        if (value == null) {
            return null;
        }
        String clean = escapeControls(value);
        if (clean.length() <= max) {
            return clean;
        }
        String marker = max >= 64 ? CUT : "…";
        int keep = Math.max(0, max - marker.length());
        // Never split a surrogate pair or an escape in two.
        if (keep > 0 && Character.isHighSurrogate(clean.charAt(keep - 1))) {
            keep--;
        }
        int escape = keep > 0 ? clean.lastIndexOf("\\u", keep - 1) : -1;
        if (escape >= 0 && escape > keep - 6) {
            keep = escape;
        }
        return clean.substring(0, keep) + marker;
    }

    /** C0 controls other than tab, line feed and carriage return, DEL and C1 controls as {@code \\u00XX}. */
    static String escapeControls(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String replacement = null;
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c <= 0x9f)) {
                replacement = String.format("\\u%04x", (int) c);
            }
            else if (Character.isHighSurrogate(c) && (i + 1 == value.length()
                    || !Character.isLowSurrogate(value.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(value.charAt(i - 1)))) {
                replacement = "\uFFFD";
            }
            if (replacement != null && out == null) {
                out = new StringBuilder(value.length() + 16).append(value, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                }
                else {
                    out.append(c);
                }
            }
        }
        return out == null ? value : out.toString();
    }

    /**
     * A body as text: by its byte order mark, else by the charset its Content-Type declares, else by the pattern of
     * zero bytes JSON in UTF-16 or UTF-32 starts with (RFC 4627 section 3), else UTF-8.
     */
    static String decode(byte[] body, String declaredCharset) {
        if (body == null || body.length == 0) {
            return "";
        }
        Charset charset = byBom(body);
        int skip = charset == null ? 0 : bomLength(charset);
        if (charset == null) {
            charset = declared(declaredCharset);
        }
        if (charset == null) {
            charset = byZeroBytes(body);
        }
        return new String(body, skip, body.length - skip, charset);
    }

    private static Charset byBom(byte[] b) {
        if (b.length >= 4 && b[0] == 0 && b[1] == 0 && (b[2] & 0xff) == 0xfe && (b[3] & 0xff) == 0xff) {
            return Charset.forName("UTF-32BE");
        }
        if (b.length >= 4 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe && b[2] == 0 && b[3] == 0) {
            return Charset.forName("UTF-32LE");
        }
        if (b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf) {
            return StandardCharsets.UTF_8;
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff) {
            return StandardCharsets.UTF_16BE;
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) {
            return StandardCharsets.UTF_16LE;
        }
        return null;
    }

    private static int bomLength(Charset charset) {
        return switch (charset.name()) {
            case "UTF-32BE", "UTF-32LE" -> 4;
            case "UTF-8" -> 3;
            default -> 2;
        };
    }

    private static Charset declared(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        try {
            return Charset.forName(name.trim());
        }
        catch (IllegalCharsetNameException | UnsupportedCharsetException ex) {
            return null;
        }
    }

    private static Charset byZeroBytes(byte[] b) {
        if (b.length >= 4) {
            if (b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] != 0) {
                return Charset.forName("UTF-32BE");
            }
            if (b[0] != 0 && b[1] == 0 && b[2] == 0 && b[3] == 0) {
                return Charset.forName("UTF-32LE");
            }
        }
        if (b.length >= 2) {
            if (b[0] == 0 && b[1] != 0) {
                return StandardCharsets.UTF_16BE;
            }
            if (b[0] != 0 && b[1] == 0) {
                return StandardCharsets.UTF_16LE;
            }
        }
        return StandardCharsets.UTF_8;
    }
}
