package dev.roster.scim.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.roster.scim.directory.ScimDirectoryService;
import dev.roster.shared.ratelimit.Limit;

/**
 * A directory's own rate R is R tokens refilled over {@link ScimRateLimiter#OWN_RATE_PERIOD}, which the token
 * look-up's SQL computes from the directory's row (decision 0021): the same shape, and so the same bucket key, as
 * {@code Limit.perSecond(R, R)}, which named the bucket before, for every rate a directory may have.
 */
class ScimRateLimiterShapeTest {

    @Test
    void aDirectorysOwnRateIsTheShapeItHadBefore() {
        for (int rate = 1; rate <= ScimDirectoryService.MAX_REQUESTS_PER_SECOND; rate++) {
            assertThat(new Limit(rate, ScimRateLimiter.OWN_RATE_PERIOD)).as("rate %d", rate)
                    .isEqualTo(Limit.perSecond(rate, rate));
        }
    }
}
