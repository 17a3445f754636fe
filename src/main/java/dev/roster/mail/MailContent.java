package dev.roster.mail;

/** The two bodies of one message: plain text for every client, HTML for those that show it. */
public record MailContent(String text, String html) {
}
