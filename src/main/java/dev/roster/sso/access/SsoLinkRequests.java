package dev.roster.sso.access;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.roster.shared.EmailAddress;
import dev.roster.shared.Ids;
import dev.roster.shared.SecretToken;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.sso.saml.AssertedIdentity;
import dev.roster.sso.web.SsoLinkController;

/**
 * SSO sign-ins waiting for the owner of an existing account to confirm the link (see {@link SsoLinkController}). The
 * browser that signed in holds a secret in a cookie; only its SHA-256 is stored, so a request is found only by that
 * browser. A request lives ten minutes and is used once.
 */
@Component
public class SsoLinkRequests {

    static final Duration LIFETIME = Duration.ofMinutes(10);

    /** A waiting sign-in: who the IdP asserted, through which connection, and which existing account it names. */
    public record LinkRequest(UUID id, UUID organizationId, UUID connectionId, UUID accountId, AssertedIdentity identity,
                       Optional<Set<String>> groups, String returnTo, Instant expiresAt) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    SsoLinkRequests(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Stores the sign-in; answers the secret for the browser's cookie. */
    public String start(SsoConnection connection, UUID accountId, AssertedIdentity identity, Optional<Set<String>> groups,
                 String returnTo) {
        SecretToken.Issued secret = SecretToken.issue("");
        Instant now = clock.instant();
        jdbc.sql("""
                INSERT INTO sso_link_request (id, token_hash, organization_id, connection_id, account_id, subject,
                    name_id, name_id_format, email, display_name, session_index, groups_seen, return_to, created_at,
                    expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(Ids.newId(), secret.hash(), connection.organizationId(), connection.id(), accountId,
                        identity.subject(), cap(identity.nameId(), 1024), cap(identity.nameIdFormat(), 256),
                        identity.email().value(), identity.displayName(), cap(identity.sessionIndex(), 256),
                        groups.map(g -> cap(String.join("\n", new TreeSet<>(g)), 8000)).orElse(null),
                        returnTo, Timestamp.from(now), Timestamp.from(now.plus(LIFETIME)))
                .update();
        return secret.value();
    }

    /** The unexpired request the secret belongs to. */
    public Optional<LinkRequest> find(String secret) {
        if (secret == null || secret.isBlank() || secret.length() > 100) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT * FROM sso_link_request WHERE token_hash = ? AND expires_at > ?")
                .params(SecretToken.sha256Hex(secret), Timestamp.from(clock.instant()))
                .query(SsoLinkRequests::map).optional();
    }

    /** Spends the request; false when another request (a second click, another instance) spent it first. */
    public boolean spend(UUID id) {
        return jdbc.sql("DELETE FROM sso_link_request WHERE id = ?").param(id).update() == 1;
    }

    @Scheduled(fixedDelayString = "PT5M", initialDelayString = "PT1M")
    void purgeExpired() {
        jdbc.sql("DELETE FROM sso_link_request WHERE expires_at < ?").param(Timestamp.from(clock.instant())).update();
    }

    private static LinkRequest map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        String groupsSeen = rs.getString("groups_seen");
        Optional<Set<String>> groups = groupsSeen == null ? Optional.empty()
                : Optional.of(groupsSeen.isEmpty() ? Set.of() : new LinkedHashSet<>(List.of(groupsSeen.split("\n"))));
        AssertedIdentity identity = new AssertedIdentity(rs.getString("subject"), rs.getString("name_id"),
                rs.getString("name_id_format"), new EmailAddress(rs.getString("email")), rs.getString("display_name"),
                groups.orElse(Set.of()), false, groups.isPresent(), rs.getString("session_index"));
        return new LinkRequest(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                rs.getObject("connection_id", UUID.class), rs.getObject("account_id", UUID.class), identity, groups,
                rs.getString("return_to"), rs.getTimestamp("expires_at").toInstant());
    }

    private static String cap(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
