package dev.tollgate.monitor;

import static dev.tollgate.monitor.spi.ParsedLine.Field.HOST;
import static dev.tollgate.monitor.spi.ParsedLine.Field.METHOD;
import static dev.tollgate.monitor.spi.ParsedLine.Field.PATH;
import static dev.tollgate.monitor.spi.ParsedLine.Field.REFERER;
import static dev.tollgate.monitor.spi.ParsedLine.Field.USER;
import static dev.tollgate.monitor.spi.ParsedLine.Field.USER_AGENT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.monitor.spi.ParseResult;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class ClfLogFormatsTest {

    private static final String COMMON =
            "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326";
    private static final String COMBINED =
            COMMON + " \"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"";

    private final Parsing common = new Parsing(new CommonLogFormat().create());
    private final Parsing combined = new Parsing(new CombinedLogFormat().create());

    @Test
    void readsTheCommonLogFormat() {
        assertThat(common.parse(COMMON)).isEqualTo(ParseResult.RECORD);
        assertThat(common.text(HOST)).isEqualTo("127.0.0.1");
        assertThat(common.text(USER)).isEqualTo("frank");
        assertThat(common.line.epochSecond())
                .isEqualTo(OffsetDateTime.parse("2000-10-10T13:55:36-07:00").toEpochSecond());
        assertThat(common.text(METHOD)).isEqualTo("GET");
        assertThat(common.text(PATH)).isEqualTo("/apache_pb.gif");
        assertThat(common.line.status()).isEqualTo(200);
        assertThat(common.line.bytes()).isEqualTo(2326);
    }

    @Test
    void readsTheCombinedLogFormat() {
        assertThat(combined.parse(COMBINED)).isEqualTo(ParseResult.RECORD);
        assertThat(combined.text(PATH)).isEqualTo("/apache_pb.gif");
        assertThat(combined.text(REFERER)).isEqualTo("http://www.example.com/start.html");
        assertThat(combined.text(USER_AGENT)).isEqualTo("Mozilla/4.08 [en] (Win98; I ;Nav)");
    }

    @Test
    void readsNginxLinesWithDashesEscapesAndExtraFields() {
        String line = "2001:db8::1 - - [07/Feb/2019:21:12:36 +0000] \"GET /api/x?q=\\\"a\\\" HTTP/1.1\" 404 - "
                + "\"-\" \"curl/8.0 \\\"quoted\\\"\" \"203.0.113.9\"";
        assertThat(combined.parse(line)).isEqualTo(ParseResult.RECORD);
        assertThat(combined.text(HOST)).isEqualTo("2001:db8::1");
        assertThat(combined.text(USER)).isEqualTo("<absent>");
        assertThat(combined.line.epochSecond()).isEqualTo(1549573956L);
        assertThat(combined.text(PATH)).isEqualTo("/api/x?q=\"a\"");
        assertThat(combined.line.bytes()).isZero();
        assertThat(combined.text(REFERER)).isEqualTo("<absent>");
        assertThat(combined.text(USER_AGENT)).isEqualTo("curl/8.0 \"quoted\"");
    }

    @Test
    void readsEveryMonthAndPositiveOffsets() {
        String[] months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        for (int m = 0; m < 12; m++) {
            String line = "h - - [29/" + months[m] + "/2024:23:59:59 +0530] \"GET / HTTP/1.1\" 200 1";
            assertThat(common.parse(line)).isEqualTo(ParseResult.RECORD);
            assertThat(common.line.epochSecond())
                    .isEqualTo(OffsetDateTime.parse(String.format("2024-%02d-29T23:59:59+05:30", m + 1))
                            .toEpochSecond());
        }
    }

    @Test
    void commonRejectsCombinedLinesAndTheOtherWayRound() {
        assertThat(common.parse(COMBINED)).isEqualTo(ParseResult.BAD);
        assertThat(common.line.problem()).contains("--format combined");
        assertThat(combined.parse(COMMON)).isEqualTo(ParseResult.BAD);
        assertThat(combined.line.problem()).contains("referer");
    }

    @Test
    void rejectsMalformedLines() {
        assertThat(common.parse("just some words")).isEqualTo(ParseResult.BAD);
        assertThat(common.parse("h - - [10/Foo/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 1"))
                .isEqualTo(ParseResult.BAD);
        assertThat(common.line.problem()).contains("10/Foo/2000");
        assertThat(common.parse("h - - [10/Oct/2000:13:55:36 -0700] GET / HTTP/1.0 200 1"))
                .isEqualTo(ParseResult.BAD);
        assertThat(common.parse("h - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 2000 1"))
                .isEqualTo(ParseResult.BAD);
        assertThat(common.parse("h - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200"))
                .isEqualTo(ParseResult.BAD);
    }
}
