package dev.roster.scim;

import static dev.roster.scim.ScimTestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * Okta pages through a directory with startIndex and count. Pages after the first continue from the last user the
 * page before returned (PageContinuations); what a client sees must be the same as with OFFSET where nothing changes
 * in between, and must skip no one when a user before the position is deleted in between.
 */
@RosterIntegrationTest
class ScimPagingTest {

    @Autowired
    TestApi api;

    @Autowired
    TestData data;

    @Test
    void pagingThroughADirectoryReturnsEveryUserOnceInCreationOrder() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(scim.createUser(TestData.uniqueEmail("paging" + i)));
        }
        List<String> paged = new ArrayList<>();
        for (int start = 1; start <= 7; start += 2) {
            JsonNode page = scim.get("/Users?startIndex=" + start + "&count=2").json();
            assertThat(page.get("totalResults").asInt()).isEqualTo(7);
            assertThat(page.get("startIndex").asInt()).isEqualTo(start);
            page.get("Resources").forEach(user -> paged.add(user.get("id").asText()));
        }
        assertThat(paged).containsExactlyElementsOf(created);
        // Asked again, or out of order, a page is the same.
        assertThat(scim.get("/Users?startIndex=3&count=2").json().at("/Resources/0/id").asText())
                .isEqualTo(created.get(2));
        assertThat(scim.get("/Users?startIndex=6&count=2").json().at("/Resources/0/id").asText())
                .isEqualTo(created.get(5));
    }

    @Test
    void aUserDeletedBeforeTheNextPageMakesNoOneElseDisappear() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            created.add(scim.createUser(TestData.uniqueEmail("deleted" + i)));
        }
        JsonNode first = scim.get("/Users?startIndex=1&count=3").json();
        assertThat(first.at("/Resources/2/id").asText()).isEqualTo(created.get(2));
        assertThat(scim.delete("/Users/" + created.get(0)).status()).isEqualTo(204);
        JsonNode second = scim.get("/Users?startIndex=4&count=3").json();
        List<String> ids = new ArrayList<>();
        second.get("Resources").forEach(user -> ids.add(user.get("id").asText()));
        assertThat(ids).containsExactly(created.get(3), created.get(4), created.get(5));
    }

    @Test
    void totalResultsFollowWritesMadeWhilePaging() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            created.add(scim.createUser(TestData.uniqueEmail("total" + i)));
        }
        assertThat(scim.get("/Users?startIndex=1&count=2").json().get("totalResults").asInt()).isEqualTo(8);
        assertThat(scim.get("/Users?startIndex=3&count=2").json().get("totalResults").asInt()).isEqualTo(8);

        scim.createUser(TestData.uniqueEmail("total-late"));
        assertThat(scim.get("/Users?startIndex=5&count=2").json().get("totalResults").asInt()).isEqualTo(9);

        assertThat(scim.delete("/Users/" + created.get(0)).status()).isEqualTo(204);
        assertThat(scim.delete("/Users/" + created.get(1)).status()).isEqualTo(204);
        assertThat(scim.get("/Users?startIndex=7&count=2").json().get("totalResults").asInt()).isEqualTo(7);

        // A filter's total follows a change that moves a user out of it.
        String filter = "/Users?count=1&filter=" + encode("userName sw \"total\"");
        assertThat(scim.get(filter + "&startIndex=1").json().get("totalResults").asInt()).isEqualTo(7);
        assertThat(scim.patch("/Users/" + created.get(7), ScimTestClient.patch(ScimTestClient.op("replace",
                "userName", TestData.uniqueEmail("renamed")))).status()).isEqualTo(200);
        assertThat(scim.get(filter + "&startIndex=2").json().get("totalResults").asInt()).isEqualTo(6);
    }

    @Test
    void aPositionBelongsToItsFilterAndDirectory() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            created.add(scim.createUser(TestData.uniqueEmail("filtered" + i)));
        }
        scim.get("/Users?startIndex=1&count=2").json();
        // Same start index, another filter: the unfiltered list's position must not apply.
        String onlyLast = encode("userName eq \"" + scim.get("/Users/" + created.get(3)).json().get("userName")
                .asText() + "\" or userName eq \"" + scim.get("/Users/" + created.get(0)).json().get("userName")
                .asText() + "\"");
        scim.get("/Users?filter=" + onlyLast + "&startIndex=1&count=1").json();
        JsonNode filtered = scim.get("/Users?filter=" + onlyLast + "&startIndex=2&count=1").json();
        assertThat(filtered.get("totalResults").asInt()).isEqualTo(2);
        assertThat(filtered.at("/Resources/0/id").asText()).isEqualTo(created.get(3));
        // Another directory of another organization, paged to the same start index, sees only its own users.
        ScimTestClient other = ScimTestClient.create(api, data, "okta");
        String theirs = other.createUser(TestData.uniqueEmail("other"));
        JsonNode otherPage = other.get("/Users?startIndex=1&count=2").json();
        assertThat(otherPage.get("totalResults").asInt()).isEqualTo(1);
        assertThat(otherPage.at("/Resources/0/id").asText()).isEqualTo(theirs);
        assertThat(other.get("/Users?startIndex=3&count=2").json().get("Resources").size()).isZero();
    }
}
