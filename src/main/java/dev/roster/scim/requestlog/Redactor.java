package dev.roster.scim.requestlog;

import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Removes secrets from bodies before they are logged: any attribute named like a password, secret or token, and the
 * value of a PATCH operation whose path is a password. Bodies that are not JSON are scrubbed by pattern.
 */
final class Redactor {

    static final String REDACTED = "[redacted]";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECRET_TEXT = Pattern.compile(
            "(\"[^\"]*(?:password|secret|token)[^\"]*\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"", Pattern.CASE_INSENSITIVE);

    private Redactor() {
    }

    static String redact(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null) {
                return null;
            }
            redact(node);
            return JSON.writeValueAsString(node);
        }
        catch (IOException ex) {
            return SECRET_TEXT.matcher(body).replaceAll("$1\"" + REDACTED + "\"");
        }
    }

    private static void redact(JsonNode node) {
        if (node.isArray()) {
            node.forEach(Redactor::redact);
            return;
        }
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        JsonNode path = object.get("path");
        if (path != null && path.isTextual() && isSecretName(path.textValue()) && object.has("value")) {
            object.set("value", TextNode.valueOf(REDACTED));
        }
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (isSecretName(field.getKey())) {
                field.setValue(TextNode.valueOf(REDACTED));
            }
            else {
                redact(field.getValue());
            }
        }
    }

    private static boolean isSecretName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.contains("password") || lower.contains("secret") || lower.contains("token");
    }
}
