package dev.roster.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

/** Pages must work under Roster's Content-Security-Policy, which forbids inline scripts and styles. */
public final class StrictCsp {

    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern STYLE = Pattern.compile("\\sstyle=|<style[\\s>]|\\son[a-z]+=", Pattern.CASE_INSENSITIVE);

    private StrictCsp() {
    }

    public static void assertRespectedBy(String html) {
        assertThat(INLINE_SCRIPT.matcher(html).find()).as("inline <script> in page").isFalse();
        assertThat(STYLE.matcher(html).find()).as("inline style or event handler in page").isFalse();
    }
}
