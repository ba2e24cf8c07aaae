package dev.tollgate.monitor;

import static dev.tollgate.monitor.spi.ParsedLine.Field.HOST;
import static dev.tollgate.monitor.spi.ParsedLine.Field.METHOD;
import static dev.tollgate.monitor.spi.ParsedLine.Field.PATH;
import static dev.tollgate.monitor.spi.ParsedLine.Field.USER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.monitor.spi.ParseResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CsvLogFormatTest {

    private Parsing csv;

    @BeforeEach
    void parser() {
        csv = new Parsing(new CsvLogFormat().create());
    }

    @Test
    void readsALineOfTheSample() {
        assertThat(csv.parse("\"10.0.0.2\",\"-\",\"apache\",1549573860,\"GET /api/user HTTP/1.0\",200,1234"))
                .isEqualTo(ParseResult.RECORD);
        assertThat(csv.text(HOST)).isEqualTo("10.0.0.2");
        assertThat(csv.text(USER)).isEqualTo("apache");
        assertThat(csv.line.epochSecond()).isEqualTo(1549573860L);
        assertThat(csv.text(METHOD)).isEqualTo("GET");
        assertThat(csv.text(PATH)).isEqualTo("/api/user");
        assertThat(csv.line.status()).isEqualTo(200);
        assertThat(csv.line.bytes()).isEqualTo(1234);
    }

    @Test
    void skipsTheHeader() {
        assertThat(csv.parse(CsvLines.HEADER.strip())).isEqualTo(ParseResult.SKIP);
    }

    @Test
    void aQuotedCommaIsData() {
        assertThat(csv.parse("\"10.0.0.2\",\"-\",\"apache\",1549573860,\"GET /api/search?q=a,b HTTP/1.1\",200,99"))
                .isEqualTo(ParseResult.RECORD);
        assertThat(csv.text(PATH)).isEqualTo("/api/search?q=a,b");
        assertThat(csv.line.bytes()).isEqualTo(99);
    }

    @Test
    void doubledQuotesAreOneQuote() {
        assertThat(csv.parse("\"host \"\"x\"\"\",\"-\",\"a\"\"b\",1,\"GET /q?\"\"a,b\"\" HTTP/1.0\",404,-"))
                .isEqualTo(ParseResult.RECORD);
        assertThat(csv.text(HOST)).isEqualTo("host \"x\"");
        assertThat(csv.text(USER)).isEqualTo("a\"b");
        assertThat(csv.text(PATH)).isEqualTo("/q?\"a,b\"");
        assertThat(csv.line.bytes()).isZero();
    }

    @Test
    void unquotedFieldsAreReadToo() {
        assertThat(csv.parse("10.0.0.9,-,-,1549573861,GET / HTTP/1.1,301,0")).isEqualTo(ParseResult.RECORD);
        assertThat(csv.text(HOST)).isEqualTo("10.0.0.9");
        assertThat(csv.text(USER)).isEqualTo("<absent>");
        assertThat(csv.text(PATH)).isEqualTo("/");
    }

    @Test
    void aHeaderSetsTheColumnOrder() {
        assertThat(csv.parse("\"remotehost\",\"status\",\"extra\",\"request\",\"date\",\"bytes\""))
                .isEqualTo(ParseResult.SKIP);
        assertThat(csv.parse("\"10.0.0.1\",503,\"x\",\"POST /report HTTP/1.0\",1549573900,17"))
                .isEqualTo(ParseResult.RECORD);
        assertThat(csv.text(METHOD)).isEqualTo("POST");
        assertThat(csv.line.status()).isEqualTo(503);
        assertThat(csv.line.epochSecond()).isEqualTo(1549573900L);
        assertThat(csv.line.bytes()).isEqualTo(17);
    }

    @Test
    void rejectsMalformedLinesSayingWhy() {
        assertThat(csv.parse("garbage")).isEqualTo(ParseResult.BAD);
        assertThat(csv.line.problem()).isEqualTo("expected 7 fields, found 1");
        assertThat(csv.parse("\"10.0.0.2\",\"-\",\"apache\",yesterday,\"GET / HTTP/1.0\",200,1"))
                .isEqualTo(ParseResult.BAD);
        assertThat(csv.line.problem()).contains("date 'yesterday'");
        assertThat(csv.parse("\"10.0.0.2\",\"-\",\"apache\",1,\"GET\",200,1")).isEqualTo(ParseResult.BAD);
        assertThat(csv.line.problem()).contains("not 'METHOD PATH PROTOCOL'");
        assertThat(csv.parse("\"10.0.0.2\",\"-\",\"apache\",1,\"GET / HTTP/1.0\",OK,1"))
                .isEqualTo(ParseResult.BAD);
        assertThat(csv.line.problem()).contains("status 'OK'");
        assertThat(csv.parse("\"10.0.0.2\",\"-\",\"apache\",1,\"GET / HTTP/1.0\",200,12kb"))
                .isEqualTo(ParseResult.BAD);
        assertThat(csv.line.problem()).contains("byte count '12kb'");
        assertThat(csv.parse("\"10.0.0.2,\"-\",\"apache\",1")).isEqualTo(ParseResult.BAD);
        assertThat(csv.parse("\"10.0.0.2\"x,\"-\",\"apache\",1,\"GET / HTTP/1.0\",200,1"))
                .isEqualTo(ParseResult.BAD);
        assertThat(csv.line.problem()).contains("text after its closing quote");
        assertThat(csv.parse("\"unterminated")).isEqualTo(ParseResult.BAD);
        assertThat(csv.line.problem()).contains("never closed");
    }

    @Test
    void acceptsAFractionOfASecond() {
        assertThat(csv.parse("\"h\",\"-\",\"-\",1549573860.75,\"GET /a HTTP/1.0\",200,1"))
                .isEqualTo(ParseResult.RECORD);
        assertThat(csv.line.epochSecond()).isEqualTo(1549573860L);
    }
}
