package dev.roster.shared.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.roster.test.MutableClock;

/** The fallback when the shared bucket cannot be reached, without a database. */
class SharedBucketsTest {

    private final MutableClock clock = new MutableClock();

    @Test
    void withTheDatabaseAwayTheLimitIsCountedInThisInstancesMemory() {
        SharedBuckets buckets = new SharedBuckets(new Unreachable(), true, clock);
        Limit limit = new Limit(2, Duration.ofMinutes(1));
        Take first = buckets.take("k", limit);
        assertThat(first.taken()).isTrue();
        assertThat(first.shared()).isFalse();
        assertThat(buckets.take("k", limit).taken()).isTrue();
        Take third = buckets.take("k", limit);
        assertThat(third.taken()).isFalse();
        assertThat(third.waitSeconds()).isBetween(29L, 31L);
        assertThat(buckets.take("other", limit).taken()).as("a bucket per key").isTrue();
        assertThat(buckets.fallbacks()).isEqualTo(4);

        clock.advance(Duration.ofSeconds(31));
        assertThat(buckets.take("k", limit).taken()).as("refilled").isTrue();
    }

    @Test
    void onH2TheBucketsAreInMemory() {
        SharedBuckets buckets = new SharedBuckets(new Unreachable(), false, clock);
        assertThat(buckets.sharedByAllInstances()).isFalse();
        assertThat(buckets.take("k", new Limit(1, Duration.ofHours(1))).taken()).isTrue();
        assertThat(buckets.take("k", new Limit(1, Duration.ofHours(1))).taken()).isFalse();
        assertThat(buckets.fallbacks()).as("not a fallback: the way it works on H2").isZero();
    }

    @Test
    void aChangedLimitIsABucketOfItsOwn() {
        SharedBuckets buckets = new SharedBuckets(new Unreachable(), false, clock);
        assertThat(buckets.take("k", Limit.perSecond(1, 1)).taken()).isTrue();
        assertThat(buckets.take("k", Limit.perSecond(1, 1)).taken()).isFalse();
        assertThat(buckets.take("k", Limit.perSecond(5, 5)).taken()).isTrue();
    }

    @Test
    void shapes() {
        assertThat(Limit.perSecond(200, 400)).isEqualTo(new Limit(400, Duration.ofSeconds(2)));
        assertThat(Limit.perSecond(0.5, 1)).isEqualTo(new Limit(1, Duration.ofSeconds(2)));
        assertThat(SharedBuckets.isPostgres("jdbc:postgresql://db/roster")).isTrue();
        assertThat(SharedBuckets.isPostgres("jdbc:h2:file:./data/roster")).isFalse();
    }

    /** A DataSource that refuses every connection, as Roster's does while the database is unreachable. */
    private static final class Unreachable implements DataSource {

        @Override
        public Connection getConnection() throws SQLException {
            throw new SQLTransientConnectionException("The database is unreachable", "08001");
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
