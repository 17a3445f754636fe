package dev.roster.scim;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * SCIM settings (documented in docs/configuration.md and docs/scim.md).
 *
 * @param maxBodySize the largest request body the SCIM endpoints read; larger ones are refused with 413
 * @param rateLimit   requests per second and burst per directory, counted by all Roster instances together
 * @param requestLog  how long the request log keeps entries and how much of each body it keeps
 */
@ConfigurationProperties("roster.scim")
public record ScimProperties(@DefaultValue("1MB") DataSize maxBodySize, @DefaultValue RateLimit rateLimit,
                             @DefaultValue RequestLog requestLog) {

    /**
     * @param requestsPerSecond sustained rate per directory (a directory's own setting overrides it)
     * @param burst             requests a directory may send at once before the rate applies
     */
    public record RateLimit(@DefaultValue("200") int requestsPerSecond, @DefaultValue("400") int burst) {
    }

    /**
     * @param retention    entries older than this are purged
     * @param maxBodyChars request and response bodies are kept up to this many characters
     * @param purgeCron    when the purge runs
     * @param bufferSize   memory for entries not yet written (while the database is away, say); beyond it entries are
     *                     written on the request's thread, or counted as dropped if the database does not take them
     */
    public record RequestLog(@DefaultValue("7d") Duration retention, @DefaultValue("65536") int maxBodyChars,
                             @DefaultValue("0 17 * * * *") String purgeCron,
                             @DefaultValue("64MB") DataSize bufferSize) {
    }
}
