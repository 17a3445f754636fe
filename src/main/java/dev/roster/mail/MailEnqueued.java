package dev.roster.mail;

import java.util.UUID;

/** Published when a message enters the outbox; delivered to the dispatcher only after the transaction commits. */
record MailEnqueued(UUID id) {
}
