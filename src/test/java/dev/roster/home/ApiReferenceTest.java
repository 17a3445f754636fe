package dev.roster.home;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;

/** /v3/api-docs reads as a reference: every operation has a one-line summary and the error answers it can give. */
@RosterIntegrationTest
class ApiReferenceTest {

    @Autowired
    TestApi api;

    @Test
    void everyOperationHasASummaryAndItsErrors() {
        TestApi.Response docs = api.get(null, "/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        List<String> missing = new ArrayList<>();
        List<String> listed = new ArrayList<>();
        docs.json().path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            String name = op.getKey().toUpperCase() + " " + path.getKey();
            JsonNode operation = op.getValue();
            String summary = operation.path("summary").asText("");
            listed.add(name + " : " + summary);
            if (summary.isBlank() || summary.contains("\n") || summary.length() > 120) {
                missing.add(name + " has no one-line summary");
            }
            JsonNode responses = operation.path("responses");
            boolean documentsAnError = false;
            for (var codes = responses.fieldNames(); codes.hasNext(); ) {
                String code = codes.next();
                documentsAnError |= code.startsWith("4") || code.startsWith("5");
            }
            if (!documentsAnError) {
                missing.add(name + " documents no error answer");
            }
            if (!path.getKey().startsWith("/api/v1/public/") && !responses.has("401")) {
                missing.add(name + " does not say it answers 401 without a token");
            }
        }));
        System.out.println("API reference:\n  " + String.join("\n  ", listed));
        assertThat(listed).hasSizeGreaterThan(50);
        assertThat(missing).isEmpty();
    }

    /** A member says where their admin role comes from, which tells a client what a demotion will answer. */
    @Test
    void aMemberShowsTheSourcesOfTheAdminRoleAndADemotionItsConflicts() {
        JsonNode docs = api.get(null, "/v3/api-docs").json();
        JsonNode member = docs.path("components").path("schemas").path("MemberView").path("properties");
        assertThat(member.path("adminSources").path("type").asText()).isEqualTo("array");
        assertThat(member.path("adminSources").path("items").path("type").asText()).isEqualTo("string");
        assertThat(member.path("adminManagedByDirectory").path("type").asText()).isEqualTo("boolean");
        JsonNode patch = docs.path("paths").path("/api/v1/orgs/{slug}/members/{id}").path("patch").path("responses");
        assertThat(patch.path("200").path("content").findValuesAsText("$ref")).as(patch.toString())
                .containsOnly("#/components/schemas/MemberView");
        assertThat(patch.path("409").path("description").asText()).contains("managed-by-directory", "last-admin");
        assertThat(patch.has("401")).isTrue();
    }
}
