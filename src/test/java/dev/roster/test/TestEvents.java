package dev.roster.test;

import java.util.Map;
import java.util.UUID;

import org.springframework.transaction.support.TransactionTemplate;

import dev.roster.events.EventSequencer;
import dev.roster.events.EventType;
import dev.roster.events.Events;
import dev.roster.shared.Actor;

/** Publishes events the way a service does (inside a transaction of its own), for tests of the stream itself. */
public final class TestEvents {

    private final Events events;
    private final TransactionTemplate transaction;
    private final EventSequencer sequencer;

    public TestEvents(Events events, TransactionTemplate transaction, EventSequencer sequencer) {
        this.events = events;
        this.transaction = transaction;
        this.sequencer = sequencer;
    }

    /** One committed event; returns its id. The sequencer runs after the commit, as it does for every change. */
    public UUID publish(TestData.Org org, EventType type, Map<String, ?> data) {
        return transaction.execute(status -> events.publish(org.id(), type, Actor.system("test"), data));
    }

    /** Gives committed events their positions now, rather than waiting for the run that follows each commit. */
    public void sequence() {
        sequencer.sequence();
    }
}
