package dev.roster.scim.protocol;

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

    /** The SDK's checked exceptions (filter and path parsing, patch application) carry their own status and type. */
    public static ScimError of(ScimException ex) {
        var error = ex.getScimError();
        int status = error.getStatus() == null ? 400 : error.getStatus();
        String detail = error.getDetail() == null ? ex.getMessage() : error.getDetail();
        return new ScimError(status, error.getScimType(), detail);
    }

    public int status() {
        return status;
    }

    public String scimType() {
        return scimType;
    }
}
