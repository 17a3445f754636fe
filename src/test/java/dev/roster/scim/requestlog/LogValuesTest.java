package dev.roster.scim.requestlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** What a client sends is made storable: cut to the column with a marker, controls escaped, any charset decoded. */
class LogValuesTest {

    @Test
    void aValueOverItsColumnIsCutToExactlyTheColumnWithAMarker() {
        String query = "filter=" + "x".repeat(5_000);
        String fitted = LogValues.fit(query, 4096);
        assertThat(fitted).hasSize(4096).startsWith("filter=xxx").endsWith(LogValues.CUT);
        assertThat(LogValues.fit("short", 4096)).isEqualTo("short");
        assertThat(LogValues.fit("PROPFINDANDMORE", 10)).hasSize(10).endsWith("…");
    }

    @Test
    void controlCharactersAndNulAreEscapedAndUnpairedSurrogatesReplaced() {
        assertThat(LogValues.fit("a\u0000b\u0001c\td\ne\u007f", 100)).isEqualTo("a\\u0000b\\u0001c\td\ne\\u007f");
        assertThat(LogValues.fit("x\uD800y", 100)).isEqualTo("x\uFFFDy");
        assertThat(LogValues.fit("ok \uD83D\uDE00", 100)).isEqualTo("ok \uD83D\uDE00");
    }

    @Test
    void aCutNeverSplitsAnEscapeOrASurrogatePair() {
        // The escape of the first NUL would straddle the cut: it goes whole.
        String escaped = LogValues.fit("y".repeat(4080) + "\u0000".repeat(10), 4096);
        assertThat(escaped).hasSize(4093).isEqualTo("y".repeat(4080) + LogValues.CUT);
        String emoji = LogValues.fit("y".repeat(4082) + "\uD83D\uDE00".repeat(8), 4096);
        assertThat(emoji).isEqualTo("y".repeat(4082) + LogValues.CUT);
    }

    @Test
    void bodiesAreReadInTheCharsetTheyCameIn() {
        String json = "{\"userName\":\"zoë@example.com\"}";
        assertThat(LogValues.decode(json.getBytes(StandardCharsets.UTF_16LE), null)).isEqualTo(json);
        assertThat(LogValues.decode(json.getBytes(StandardCharsets.UTF_16BE), null)).isEqualTo(json);
        assertThat(LogValues.decode(json.getBytes(StandardCharsets.UTF_16), null)).isEqualTo(json);
        assertThat(LogValues.decode(json.getBytes(Charset.forName("UTF-32LE")), null)).isEqualTo(json);
        assertThat(LogValues.decode(json.getBytes(StandardCharsets.ISO_8859_1), "ISO-8859-1")).isEqualTo(json);
        assertThat(LogValues.decode(json.getBytes(StandardCharsets.UTF_8), "no-such-charset")).isEqualTo(json);
        assertThat(LogValues.decode(json.getBytes(StandardCharsets.UTF_8), null)).isEqualTo(json);
    }
}
