package dev.roster.scim.protocol;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.messages.ErrorResponse;
import com.unboundid.scim2.common.utils.JsonUtils;

import org.springframework.http.MediaType;

import dev.roster.shared.web.RequestIds;

/**
 * SCIM JSON, read and written with the SDK's mapper: its object nodes look attribute names up case-insensitively,
 * as RFC 7643 section 2.1 requires.
 */
public final class ScimJson {

    public static final MediaType MEDIA_TYPE = MediaType.parseMediaType("application/scim+json");
    public static final String CONTENT_TYPE = "application/scim+json;charset=UTF-8";

    /** Nesting deeper than any SCIM resource needs is refused before it can exhaust the stack. */
    private static final int MAX_NESTING = 64;

    private static final ObjectMapper MAPPER = createMapper();

    private ScimJson() {
    }

    private static ObjectMapper createMapper() {
        ObjectMapper mapper = JsonUtils.createObjectMapper();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING)
                .build());
        return mapper;
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static JsonNodeFactory nodes() {
        return JsonUtils.getJsonNodeFactory();
    }

    public static ObjectNode object() {
        return nodes().objectNode();
    }

    public static ArrayNode array() {
        return nodes().arrayNode();
    }

    /** Parses a request body that must be one JSON object; anything else is {@code invalidSyntax}. */
    public static ObjectNode parseObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw ScimError.badRequest(ScimError.INVALID_SYNTAX, "The request needs a JSON body.");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        }
        catch (IOException ex) {
            throw ScimError.badRequest(ScimError.INVALID_SYNTAX, "The request body is not valid JSON.");
        }
        if (node == null || !node.isObject()) {
            throw ScimError.badRequest(ScimError.INVALID_SYNTAX, "The request body must be a JSON object.");
        }
        return (ObjectNode) node;
    }

    public static ObjectNode parseStored(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        }
        catch (JsonProcessingException ex) {
            throw new IllegalStateException("a stored SCIM resource is not JSON", ex);
        }
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        }
        catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write SCIM JSON", ex);
        }
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        }
        catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write SCIM JSON", ex);
        }
    }

    public static ArrayNode schemas(List<String> urns) {
        ArrayNode schemas = array();
        urns.forEach(schemas::add);
        return schemas;
    }

    /**
     * An error in the SCIM error schema. The detail ends with the request's id, which an IdP shows in its provisioning
     * log, so an admin's report can be matched to Roster's log and SCIM request log.
     */
    public static ObjectNode error(int status, String scimType, String detail) {
        ErrorResponse error = new ErrorResponse(status);
        error.setScimType(scimType);
        String requestId = RequestIds.current();
        error.setDetail(requestId == null || detail == null ? detail : detail + " Request id: " + requestId + ".");
        return MAPPER.valueToTree(error);
    }

    public static String errorBody(int status, String scimType, String detail) {
        return write(error(status, scimType, detail));
    }

    /** RFC 7643 section 3.1: meta dates are xsd:dateTime; Roster writes them in UTC with millisecond precision. */
    public static String dateTime(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
