package dev.roster.scim.protocol;

import java.util.regex.Pattern;

import com.unboundid.scim2.common.exceptions.ScimException;

/**
 * A SCIM error answer (RFC 7644 section 3.12): the HTTP status, the {@code scimType} where the RFC defines one, and a
 * detail a person can act on. Thrown anywhere below the SCIM controllers and written in the SCIM error schema.
 */
public class ScimError extends RuntimeException {

    public static final String INVALID_FILTER = "invalidFilter";
    public static final String TOO_MANY = "tooMany";
    public static final String UNIQUENESS = "uniqueness";
    public static final String MUTABILITY = "mutability";
    public static final String INVALID_SYNTAX = "invalidSyntax";
    public static final String INVALID_PATH = "invalidPath";
    public static final String NO_TARGET = "noTarget";
    public static final String INVALID_VALUE = "invalidValue";
    public static final String INVALID_VERS = "invalidVers";

    private static final Pattern CLASS_PREFIX = Pattern.compile(
            "^(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)(?::\\s*|$)");
    private static final Pattern INTERNAL = Pattern.compile(
            "(?:[a-z_$][\\w$]*\\.){2,}[A-Z][\\w$]*|\\[Source:|StreamReadFeature|REDACTED|\\bat line\\b|[\\r\\n\\t]"
                    + "|\\bException\\b");

    private final int status;
    private final String scimType;

    public ScimError(int status, String scimType, String detail) {
        super(detail);
        this.status = status;
        this.scimType = scimType;
    }

    public static ScimError badRequest(String scimType, String detail) {
        return new ScimError(400, scimType, detail);
    }

    public static ScimError notFound(String detail) {
        return new ScimError(404, null, detail);
    }

    public static ScimError conflict(String detail) {
        return new ScimError(409, UNIQUENESS, detail);
    }

    public static ScimError preconditionFailed(String detail) {
        return new ScimError(412, INVALID_VERS, detail);
    }

    /**
     * The SDK's checked exceptions (patch application, schema checks) carry their own status and type; their text is
     * kept only where it is a plain sentence about the request.
     */
    public static ScimError of(ScimException ex) {
        var error = ex.getScimError();
        int status = error.getStatus() == null ? 400 : error.getStatus();
        String scimType = error.getScimType();
        return new ScimError(status, scimType, fromSdk(error.getDetail(), fallback(scimType)));
    }

    /**
     * A sentence for an identity provider's admin from the text of the SCIM SDK: an exception class name in front
     * is dropped, and text that still reads like an exception (Jackson's source locations, class names, line breaks)
     * is replaced by {@code fallback}. Never returns the text of an exception as it is.
     */
    public static String fromSdk(String text, String fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        String sentence = text.strip();
        for (int i = 0; i < 3; i++) {
            sentence = CLASS_PREFIX.matcher(sentence).replaceFirst("");
        }
        if (sentence.isBlank() || sentence.length() > 300 || INTERNAL.matcher(sentence).find()) {
            return fallback;
        }
        sentence = Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
        return sentence.endsWith(".") ? sentence : sentence + ".";
    }

    private static String fallback(String scimType) {
        if (scimType == null) {
            return "The request was not accepted.";
        }
        return switch (scimType) {
            case INVALID_PATH -> "The attribute path is not one Roster can apply to this resource.";
            case INVALID_FILTER -> "The filter is not valid.";
            case NO_TARGET -> "The path selects no value to change.";
            case INVALID_SYNTAX -> "The request is not a valid SCIM message.";
            case MUTABILITY -> "The request changes an attribute that cannot be changed.";
            case INVALID_VALUE -> "A value does not fit its attribute.";
            default -> "The request was not accepted.";
        };
    }

    public int status() {
        return status;
    }

    public String scimType() {
        return scimType;
    }
}
