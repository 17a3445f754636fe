package dev.roster.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.shared.SecretToken;

/**
 * Counts failed password sign-ins per address typed and per client address, in the database so that every Roster
 * instance sees the same counts (the two-factor lock-out is the model). Once either count reaches its limit within a
 * window, sign-in for that address or from that client is refused until the window ends, before the password is even
 * looked at, so a correct guess is not recognised either.
 * <p>
 * A key is the SHA-256 of {@code account:<normalized address>} or {@code client:<address>}: unknown addresses are
 * counted exactly like existing ones (the answer never says who has an account), and the table holds no address in
 * the clear. A successful sign-in clears its address's count, never its client's, or an attacker with an account of
 * their own could reset the count of the network they guess from. Counted in windows rather than a token bucket because
 * it counts failures, not requests, and must follow Roster's clock.
 */
@Component
class SignInThrottle {

    private static final Logger log = LoggerFactory.getLogger(SignInThrottle.class);

    private final JdbcClient jdbc;
    private final SignInThrottleProperties properties;
    private final Clock clock;

    SignInThrottle(JdbcClient jdbc, SignInThrottleProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    /** How long sign-in stays refused for this address or client, if it is refused now. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public Optional<Duration> refusedFor(String email, String clientAddress) {
        Instant now = clock.instant();
        Instant windowStartedAfter = now.minus(properties.window());
        Duration longest = null;
        for (Key key : keys(email, clientAddress)) {
            Optional<Instant> started = jdbc.sql("""
                    SELECT window_start FROM sign_in_failure
                    WHERE key_hash = ? AND failures >= ? AND window_start > ?""")
                    .params(key.hash(), key.limit(), Timestamp.from(windowStartedAfter))
                    .query((rs, n) -> rs.getTimestamp(1).toInstant()).optional();
            if (started.isPresent()) {
                Duration left = Duration.between(now, started.get().plus(properties.window()));
                longest = longest == null || left.compareTo(longest) > 0 ? left : longest;
            }
        }
        return Optional.ofNullable(longest);
    }

    /** Counts a failed sign-in against the address typed and the client. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void failed(String email, String clientAddress) {
        Instant now = clock.instant();
        for (Key key : keys(email, clientAddress)) {
            count(key, now);
        }
    }

    /** A successful sign-in: the address starts afresh (the client does not). */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void succeeded(String email) {
        jdbc.sql("DELETE FROM sign_in_failure WHERE key_hash = ?").param(accountKey(email)).update();
    }

    private void count(Key key, Instant now) {
        Timestamp windowOver = Timestamp.from(now.minus(properties.window()));
        Timestamp started = Timestamp.from(now);
        // One statement per key, so parallel failures from several instances are each counted.
        String update = """
                UPDATE sign_in_failure SET
                    failures = CASE WHEN window_start <= ? THEN 1 ELSE failures + 1 END,
                    window_start = CASE WHEN window_start <= ? THEN ? ELSE window_start END
                WHERE key_hash = ?""";
        if (jdbc.sql(update).params(windowOver, windowOver, started, key.hash()).update() > 0) {
            return;
        }
        // A concurrent first failure may insert the row first: ON CONFLICT answers that with 0 rows, where catching
        // the unique violation would leave PostgreSQL's transaction aborted for the update that follows.
        int inserted = jdbc.sql("""
                INSERT INTO sign_in_failure (key_hash, failures, window_start) VALUES (?, 1, ?)
                ON CONFLICT DO NOTHING""")
                .params(key.hash(), started).update();
        if (inserted == 0) {
            jdbc.sql(update).params(windowOver, windowOver, started, key.hash()).update();
        }
    }

    @Scheduled(fixedDelayString = "PT5M", initialDelayString = "PT2M")
    void purgeFinishedWindows() {
        int purged = jdbc.sql("DELETE FROM sign_in_failure WHERE window_start <= ?")
                .param(Timestamp.from(clock.instant().minus(properties.window()))).update();
        if (purged > 0) {
            log.debug("Purged {} finished sign-in failure windows", purged);
        }
    }

    private record Key(String hash, int limit) {
    }

    private List<Key> keys(String email, String clientAddress) {
        Key account = new Key(accountKey(email), properties.perAccount());
        return clientAddress == null ? List.of(account)
                : List.of(account, new Key(SecretToken.sha256Hex("client:" + client(clientAddress)),
                        properties.perClient()));
    }

    private static String accountKey(String email) {
        return SecretToken.sha256Hex("account:" + (email == null ? "" : email.trim().toLowerCase(Locale.ROOT)));
    }

    /** An IPv4 address as it is; an IPv6 address as its /64, which one subscriber usually holds whole. */
    static String client(String address) {
        if (address.indexOf(':') < 0) {
            return address;
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            if (bytes.length != 16) {
                return address;
            }
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(String.format("%02x%02x:", bytes[i], bytes[i + 1]));
            }
            return prefix.append(":/64").toString();
        }
        catch (UnknownHostException | SecurityException ex) {
            return address;
        }
    }
}
