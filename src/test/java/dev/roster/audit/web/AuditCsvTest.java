package dev.roster.audit.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

class AuditCsvTest {

    @Test
    void fieldsWithSeparatorsQuotesOrLineBreaksAreQuoted() {
        assertThat(AuditCsv.field("plain")).isEqualTo("plain");
        assertThat(AuditCsv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(AuditCsv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(AuditCsv.field("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(AuditCsv.field("carriage\rreturn")).isEqualTo("\"carriage\rreturn\"");
        assertThat(AuditCsv.field(null)).isEmpty();
        assertThat(AuditCsv.field("")).isEmpty();
    }

    @Test
    void cellsASpreadsheetWouldReadAsFormulasAreDefused() {
        assertThat(AuditCsv.field("=1+1")).isEqualTo("'=1+1");
        assertThat(AuditCsv.field("+1")).isEqualTo("'+1");
        assertThat(AuditCsv.field("-1")).isEqualTo("'-1");
        assertThat(AuditCsv.field("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(AuditCsv.field("\t=1")).isEqualTo("'\t=1");
        assertThat(AuditCsv.field("=HYPERLINK(\"x\",\"y\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
        assertThat(AuditCsv.field("a=b")).isEqualTo("a=b");
        assertThat(AuditCsv.field("team-a")).isEqualTo("team-a");
    }

    @Test
    void rowsEndWithCarriageReturnAndLineFeed() throws IOException {
        StringWriter out = new StringWriter();
        AuditCsv.writeRow(out, List.of("a", "b,c", ""));
        assertThat(out).hasToString("a,\"b,c\",\r\n");
    }
}
