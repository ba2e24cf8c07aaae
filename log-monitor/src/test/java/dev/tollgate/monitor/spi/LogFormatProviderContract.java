package dev.tollgate.monitor.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link LogFormatProvider} owes (the rules in its javadoc). A format's test
 * extends this class and gives the provider and a few lines of its format; third-party formats run
 * it from the test-jar of {@code tollgate-log-monitor}.
 */
public abstract class LogFormatProviderContract {

    /** The provider under test. */
    protected abstract LogFormatProvider provider();

    /** Lines of the format, each one request, without line terminators. */
    protected abstract List<String> requestLines();

    /**
     * Lines of the format, in order, that change what the parser makes of the lines after them (a CSV header with
     * other columns, and a line in its order); none by default.
     */
    protected List<String> linesThatChangeState() {
        return List.of();
    }

    @Test
    void hasAConstantLowerCaseName() {
        String name = provider().name();
        assertThat(name)
                .isNotBlank()
                .isEqualTo(name.toLowerCase(Locale.ROOT))
                .isEqualTo(provider().name());
        assertThat(provider().description()).isNotBlank();
    }

    @Test
    void readsEachRequestLineIntoHostMethodPathTimeStatusAndBytes() {
        LogLineParser parser = provider().create();
        ParsedLine line = new ParsedLine();
        for (String text : requestLines()) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            line.reset();
            assertThat(parser.parse(bytes, 0, bytes.length, line)).as(text).isEqualTo(ParseResult.RECORD);
            assertThat(line.has(ParsedLine.Field.HOST)).as("host of " + text).isTrue();
            assertThat(line.has(ParsedLine.Field.METHOD))
                    .as("method of " + text)
                    .isTrue();
            assertThat(line.has(ParsedLine.Field.PATH)).as("path of " + text).isTrue();
            assertThat(line.text(ParsedLine.Field.HOST))
                    .as("host of " + text)
                    .get()
                    .asString()
                    .isNotEmpty();
            assertThat(line.status()).as("status of " + text).isBetween(100, 999);
            assertThat(line.bytes()).as("bytes of " + text).isNotNegative();
            assertThat(line.problem()).isEmpty();
        }
    }

    @Test
    void readsOnlyTheBytesItIsGiven() {
        for (String text : requestLines()) {
            byte[] alone = text.getBytes(StandardCharsets.UTF_8);
            byte[] embedded = ("\"x,[ 9\n" + text + "\" 7,]\n").getBytes(StandardCharsets.UTF_8);
            ParsedLine a = new ParsedLine();
            ParsedLine b = new ParsedLine();
            ParseResult ra = provider().create().parse(alone, 0, alone.length, a);
            ParseResult rb = provider().create().parse(embedded, 7, 7 + alone.length, b);
            assertThat(rb).as(text).isEqualTo(ra);
            for (ParsedLine.Field field : ParsedLine.Field.values()) {
                assertThat(b.text(field)).as(field + " of " + text).isEqualTo(a.text(field));
            }
            assertThat(b.epochSecond()).isEqualTo(a.epochSecond());
        }
    }

    @Test
    void neverThrowsOnBadInputAndSaysWhyItRejectsALine() {
        LogLineParser parser = provider().create();
        ParsedLine line = new ParsedLine();
        for (byte[] bad : badInputs()) {
            line.reset();
            ParseResult result = parser.parse(bad, 0, bad.length, line);
            assertThat(result).as(new String(bad, StandardCharsets.UTF_8)).isNotNull();
            if (result == ParseResult.BAD) {
                assertThat(line.problem())
                        .as(new String(bad, StandardCharsets.UTF_8))
                        .isNotBlank();
            }
        }
    }

    /**
     * A format that resumes: at every line of its own lines mixed with bad input, a parser resumed from the state the
     * parser had there reads the rest exactly as that parser goes on to.
     */
    @Test
    void aParserResumedFromAStateReadsOnAsTheParserThatGaveIt() {
        LogLineParser first = provider().create();
        if (provider().resume(first.state()).isEmpty()) {
            return;
        }
        List<byte[]> lines = new ArrayList<>();
        for (String text : requestLines()) {
            lines.add(text.getBytes(StandardCharsets.UTF_8));
        }
        lines.addAll(badInputs());
        for (String text : linesThatChangeState()) {
            lines.add(text.getBytes(StandardCharsets.UTF_8));
        }
        for (String text : requestLines()) {
            lines.add(text.getBytes(StandardCharsets.UTF_8));
        }
        for (int at = 0; at <= lines.size(); at++) {
            LogLineParser original = provider().create();
            for (byte[] line : lines.subList(0, at)) {
                original.parse(line, 0, line.length, new ParsedLine());
            }
            Object state = original.state();
            LogLineParser resumed = provider()
                    .resume(state)
                    .orElseThrow(() -> new AssertionError("no parser resumed from the state " + state));
            assertThat(resumed.state()).as("the state resumed at line %d", at).isEqualTo(state);
            for (byte[] line : lines.subList(at, lines.size())) {
                assertThat(described(resumed, line))
                        .as("line %s, resumed at %d", new String(line, StandardCharsets.UTF_8), at)
                        .isEqualTo(described(original, line));
            }
        }
    }

    /** What {@code parser} makes of {@code line}: the result, every field, the numbers and the problem. */
    private static String described(LogLineParser parser, byte[] line) {
        ParsedLine into = new ParsedLine();
        StringBuilder text =
                new StringBuilder(parser.parse(line, 0, line.length, into).name());
        for (ParsedLine.Field field : ParsedLine.Field.values()) {
            text.append(' ').append(field).append('=').append(into.text(field).orElse("-"));
        }
        return text.append(" second=")
                .append(into.epochSecond())
                .append(" status=")
                .append(into.status())
                .append(" bytes=")
                .append(into.bytes())
                .append(" problem=")
                .append(into.problem())
                .toString();
    }

    @Test
    void detectionCountsItsOwnLinesAndNotGarbage() {
        List<byte[]> own = requestLines().stream()
                .map(l -> l.getBytes(StandardCharsets.UTF_8))
                .toList();
        assertThat(provider().detect(own)).isEqualTo(own.size());
        List<byte[]> garbage = List.of(
                "hello world".getBytes(StandardCharsets.UTF_8),
                "<html><body>".getBytes(StandardCharsets.UTF_8),
                "{\"json\": true}".getBytes(StandardCharsets.UTF_8));
        assertThat(provider().detect(garbage)).isZero();
    }

    private List<byte[]> badInputs() {
        List<byte[]> inputs = new ArrayList<>();
        for (String text : requestLines()) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            for (int cut = 0; cut < bytes.length; cut++) {
                inputs.add(Arrays.copyOf(bytes, cut));
                byte[] broken = bytes.clone();
                broken[cut] = (byte) "\"[] ,-\\9x".charAt(cut % 9);
                inputs.add(broken);
            }
        }
        SplittableRandom random = new SplittableRandom(2019);
        for (int i = 0; i < 2000; i++) {
            byte[] noise = new byte[random.nextInt(1, 200)];
            for (int j = 0; j < noise.length; j++) {
                noise[j] = random.nextBoolean()
                        ? (byte) " \",[]-:/0123456789".charAt(random.nextInt(18))
                        : (byte) random.nextInt(256);
            }
            inputs.add(noise);
        }
        return inputs;
    }
}
