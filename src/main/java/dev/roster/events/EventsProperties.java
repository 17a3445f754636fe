package dev.roster.events;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the event stream (docs/configuration.md).
 *
 * @param retention how long events are kept; a cursor older than that is answered 410
 * @param sequencerPoll how often each instance gives positions to events another instance (or a crash) left
 * @param purgeCron when retention deletes old events
 */
@ConfigurationProperties("roster.events")
public record EventsProperties(@DefaultValue("30d") Duration retention, @DefaultValue("1s") Duration sequencerPoll,
                               @DefaultValue("0 23 * * * *") String purgeCron) {

    public EventsProperties {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("roster.events.retention must be positive");
        }
    }
}
