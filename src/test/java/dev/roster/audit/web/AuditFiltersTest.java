package dev.roster.audit.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.roster.audit.AuditQuery;
import dev.roster.shared.Channel;
import dev.roster.shared.InvalidRequestException;

class AuditFiltersTest {

    @Test
    void theDownloadLinkKeepsEveryFilterExactly() {
        var filters = new AuditPageController.Filters("ann+ops@example.test", "SCIM", "", "Ops & Co", "2025-01-01", "");

        String query = filters.queryString();

        assertThat(query).isEqualTo("actor=ann%2Bops%40example.test&channel=scim&target=Ops%20%26%20Co&from=2025-01-01");
        assertThat(URLDecoder.decode("ann%2Bops%40example.test", StandardCharsets.UTF_8)).isEqualTo("ann+ops@example.test");
    }

    @Test
    void datesAreWholeUtcDaysAndTheEndDayIsIncluded() {
        AuditQuery query = new AuditPageController.Filters(null, "sso", null, null, "2025-01-01", "2025-01-31").query();

        assertThat(query.channel()).isEqualTo(Channel.SSO);
        assertThat(query.from()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(query.to()).isEqualTo(Instant.parse("2025-02-01T00:00:00Z"));
    }

    @Test
    void badFiltersAreNamedByField() {
        assertThatThrownBy(() -> new AuditPageController.Filters(null, "fax", null, null, "yesterday", "2025-01-01")
                .query())
                .isInstanceOfSatisfying(InvalidRequestException.class, ex -> assertThat(ex.fieldErrors())
                        .containsOnlyKeys("channel", "from"));
        assertThatThrownBy(() -> new AuditPageController.Filters(null, null, null, null, "2025-02-01", "2025-01-01")
                .query())
                .isInstanceOfSatisfying(InvalidRequestException.class, ex -> assertThat(ex.fieldErrors())
                        .containsOnlyKeys("to"));
    }
}
