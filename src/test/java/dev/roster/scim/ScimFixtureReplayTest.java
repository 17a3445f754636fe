package dev.roster.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * Replays the request sequences Microsoft Entra ID and Okta document (idp-fixtures/scim, format in its README)
 * against the running Roster on PostgreSQL: one test per file, each step asserting status, headers and body.
 * Every file runs against a fresh organization and directory.
 */
@RosterIntegrationTest
class ScimFixtureReplayTest {

    private static final Path FIXTURES = Path.of("idp-fixtures", "scim");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");
    private static final String ANY = "${any}";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Autowired
    TestApi api;

    @Autowired
    TestData data;

    @TestFactory
    Stream<DynamicTest> entra() throws IOException {
        return replays("entra");
    }

    @TestFactory
    Stream<DynamicTest> okta() throws IOException {
        return replays("okta");
    }

    /** Microsoft's SCIM reference tests (AzureAD/SCIMReferenceCode), against a directory of kind entra. */
    @TestFactory
    Stream<DynamicTest> entraReference() throws IOException {
        return replays("entra-reference", "entra");
    }

    private Stream<DynamicTest> replays(String vendor) throws IOException {
        return replays(vendor, vendor);
    }

    private Stream<DynamicTest> replays(String folder, String kind) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(FIXTURES.resolve(folder))) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).as("fixtures for " + folder).isNotEmpty();
        return files.stream().map(file -> DynamicTest.dynamicTest(folder + "/" + file.getFileName(),
                () -> replay(kind, file)));
    }

    private void replay(String kind, Path file) throws IOException {
        JsonNode fixture = ScimTestClient.json().readTree(file.toFile());
        ScimTestClient client = ScimTestClient.create(api, data, kind);
        Map<String, String> variables = new HashMap<>();
        variables.put("run", run());
        variables.put("base", client.tenantUrl);
        int index = 0;
        for (JsonNode step : fixture.get("steps")) {
            index++;
            String name = file.getFileName() + " step " + index + " '" + step.path("name").asText() + "'";
            JsonNode request = step.get("request");
            String method = request.get("method").asText();
            String path = substitute(request.get("path").asText(), variables);
            String query = request.hasNonNull("query") ? substitute(request.get("query").asText(), variables) : null;
            Map<String, String> headers = new LinkedHashMap<>();
            if (request.has("headers")) {
                request.get("headers").fields().forEachRemaining(h -> headers.put(h.getKey(),
                        substitute(h.getValue().asText(), variables)));
            }
            String body = request.has("body")
                    ? ScimTestClient.json().writeValueAsString(substitute(request.get("body"), variables))
                    : request.has("rawBody") ? substitute(request.get("rawBody").asText(), variables) : null;
            ScimTestClient.Response response = client.send(method, path + (query == null ? "" : "?" + query), body,
                    headers);
            String context = name + ": " + method + " " + path + (query == null ? "" : "?" + query)
                    + (body == null ? "" : " " + body) + "\n  answered " + response.status() + " " + response.body();
            JsonNode expect = step.get("expect");
            checkStatus(expect.get("status"), response.status(), context);
            if (expect.has("headers")) {
                expect.get("headers").fields().forEachRemaining(h -> checkHeader(h.getKey(),
                        substitute(h.getValue().asText(), variables), response, context));
            }
            if (expect.has("body")) {
                JsonNode expected = substitute(expect.get("body"), variables);
                List<String> problems = new ArrayList<>();
                match(expected, response.json(), "$", null, problems);
                if (!problems.isEmpty()) {
                    fail(context + "\n  mismatches: " + String.join("; ", problems));
                }
            }
            if (expect.has("absent")) {
                for (JsonNode absent : expect.get("absent")) {
                    assertThat(response.json().has(absent.asText()))
                            .as(context + "\n  must not contain '" + absent.asText() + "'").isFalse();
                }
            }
            if (expect.has("capture")) {
                expect.get("capture").fields().forEachRemaining(c -> {
                    JsonNode value = at(response.json(), c.getValue().asText());
                    assertThat(value).as(context + "\n  nothing to capture at " + c.getValue().asText()).isNotNull();
                    variables.put(c.getKey(), value.asText());
                });
            }
        }
    }

    private static void checkStatus(JsonNode expected, int actual, String context) {
        List<Integer> accepted = new ArrayList<>();
        if (expected.isArray()) {
            expected.forEach(s -> accepted.add(s.asInt()));
        }
        else {
            accepted.add(expected.asInt());
        }
        assertThat(accepted).as(context).contains(actual);
    }

    private static void checkHeader(String name, String expected, ScimTestClient.Response response, String context) {
        String actual = response.header(name);
        assertThat(actual).as(context + "\n  header " + name).isNotNull();
        if (name.equalsIgnoreCase("Content-Type")) {
            String mediaType = actual.split(";")[0].trim().toLowerCase(Locale.ROOT);
            assertThat(mediaType).as(context + "\n  Content-Type").isEqualTo(expected.split(";")[0].trim()
                    .toLowerCase(Locale.ROOT));
        }
        else {
            assertThat(actual).as(context + "\n  header " + name).isEqualTo(expected);
        }
    }

    /** The README's subset rules. */
    private static void match(JsonNode expected, JsonNode actual, String where, String key, List<String> problems) {
        if (expected.isTextual() && expected.textValue().equals(ANY)) {
            if (actual == null || actual.isNull() || actual.isMissingNode()) {
                problems.add(where + " is missing");
            }
            return;
        }
        if (actual == null || actual.isMissingNode()) {
            problems.add(where + " is missing (expected " + expected + ")");
            return;
        }
        if (expected.isObject()) {
            if (!actual.isObject()) {
                problems.add(where + " is not an object: " + actual);
                return;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                match(field.getValue(), actual.get(field.getKey()), where + "." + field.getKey(), field.getKey(),
                        problems);
            }
            return;
        }
        if (expected.isArray()) {
            if (!actual.isArray()) {
                problems.add(where + " is not an array: " + actual);
                return;
            }
            int i = 0;
            for (JsonNode element : expected) {
                boolean found = false;
                for (JsonNode candidate : actual) {
                    List<String> inner = new ArrayList<>();
                    match(element, candidate, where + "[" + i + "]", key, inner);
                    if (inner.isEmpty()) {
                        found = true;
                        break;
                    }
                }
                if (!found) {
                    problems.add(where + " has no element matching " + element + " in " + actual);
                }
                i++;
            }
            return;
        }
        if (expected.isNumber()) {
            if (!actual.isNumber() || actual.decimalValue().compareTo(expected.decimalValue()) != 0) {
                problems.add(where + " is " + actual + ", expected the number " + expected);
            }
            return;
        }
        if (expected.isBoolean()) {
            if (!actual.isBoolean() || actual.booleanValue() != expected.booleanValue()) {
                problems.add(where + " is " + actual + ", expected the boolean " + expected);
            }
            return;
        }
        if (expected.isTextual()) {
            if (!actual.isTextual()) {
                problems.add(where + " is " + actual + ", expected the string " + expected);
                return;
            }
            boolean caseInsensitive = "userName".equals(key) || expected.textValue().contains("@");
            boolean equal = caseInsensitive ? expected.textValue().equalsIgnoreCase(actual.textValue())
                    : expected.textValue().equals(actual.textValue());
            if (!equal) {
                problems.add(where + " is " + actual + ", expected " + expected);
            }
            return;
        }
        if (expected.isNull() && !actual.isNull()) {
            problems.add(where + " is " + actual + ", expected null");
        }
    }

    private static JsonNode at(JsonNode node, String dotted) {
        JsonNode current = node;
        for (String part : dotted.split("\\.")) {
            if (current == null) {
                return null;
            }
            current = current.isArray() && part.matches("\\d+") ? current.get(Integer.parseInt(part)) : current.get(part);
        }
        return current == null || current.isNull() || current.isMissingNode() ? null : current;
    }

    private static JsonNode substitute(JsonNode node, Map<String, String> variables) {
        if (node.isTextual()) {
            return TextNode.valueOf(substitute(node.textValue(), variables));
        }
        if (node.isObject()) {
            ObjectNode copy = ScimTestClient.json().createObjectNode();
            node.fields().forEachRemaining(f -> copy.set(f.getKey(), substitute(f.getValue(), variables)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = ScimTestClient.json().createArrayNode();
            node.forEach(e -> copy.add(substitute(e, variables)));
            return copy;
        }
        return node;
    }

    /** Replaces ${name}; ${any} is left for the matcher, ${uuid} is fresh at each use. */
    private static String substitute(String text, Map<String, String> variables) {
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value;
            if (name.equals("any")) {
                value = ANY;
            }
            else if (name.equals("uuid")) {
                value = UUID.randomUUID().toString();
            }
            else {
                value = variables.get(name);
                if (value == null) {
                    throw new IllegalStateException("fixture uses ${" + name + "} before it is captured");
                }
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String run() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder run = new StringBuilder("r");
        for (int i = 0; i < 8; i++) {
            run.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return run.toString();
    }
}
