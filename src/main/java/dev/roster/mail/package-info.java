/**
 * Outgoing email through an outbox: {@link dev.roster.mail.MailOutbox} writes a message in the caller's transaction,
 * and a dispatcher delivers it over SMTP once that transaction has committed, retrying with backoff when the server
 * is down. Several Roster instances may share the outbox; each message is claimed by one of them at a time.
 * Bodies are rendered from Thymeleaf templates under {@code templates/mail/} by {@link dev.roster.mail.MailTemplates}.
 */
package dev.roster.mail;
