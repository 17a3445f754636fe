package dev.roster.audit.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

class AuditCsvTest {

    @Test
    void fieldsWithSeparatorsQuotesOrLineBreaksAreQuoted() {
        assertThat(field("plain")).isEqualTo("plain");
        assertThat(field("a,b")).isEqualTo("\"a,b\"");
        assertThat(field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(field("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(field("carriage\rreturn")).isEqualTo("\"carriage\rreturn\"");
        assertThat(field(null)).isEmpty();
        assertThat(field("")).isEmpty();
    }

    @Test
    void cellsASpreadsheetWouldReadAsFormulasAreDefused() {
        assertThat(field("=1+1")).isEqualTo("'=1+1");
        assertThat(field("+1")).isEqualTo("'+1");
        assertThat(field("-1")).isEqualTo("'-1");
        assertThat(field("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(field("\t=1")).isEqualTo("'\t=1");
        assertThat(field("=HYPERLINK(\"x\",\"y\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
        assertThat(field("a=b")).isEqualTo("a=b");
        assertThat(field("team-a")).isEqualTo("team-a");
    }

    @Test
    void rowsEndWithCarriageReturnAndLineFeed() throws IOException {
        StringWriter out = new StringWriter();
        AuditCsv.writeRow(out, List.of("a", "b,c", ""));
        assertThat(out).hasToString("a,\"b,c\",\r\n");
    }

    /**
     * One field as the export writes it: a row's second field (the first is a timestamp in every real row, and Commons
     * CSV quotes an empty first field so that the line is not empty), without the row around it.
     */
    private static String field(String value) {
        StringWriter out = new StringWriter();
        try {
            AuditCsv.writeRow(out, java.util.Arrays.asList("t", value));
        }
        catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        String row = out.toString();
        assertThat(row).startsWith("t,").endsWith("\r\n");
        return row.substring(2, row.length() - 2);
    }
}
