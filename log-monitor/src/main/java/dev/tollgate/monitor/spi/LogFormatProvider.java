package dev.tollgate.monitor.spi;

import dev.tollgate.plugin.Provider;
import java.util.List;
import java.util.Optional;

/**
 * One access-log format: its name for {@code --format} and a factory of parsers.
 *
 * <p>An implementation follows the convention of every {@link Provider} (a format has no settings):
 * <ol>
 *   <li>has a public no-argument constructor and is listed in
 *       {@code META-INF/services/dev.tollgate.monitor.spi.LogFormatProvider}, or is registered by code
 *       with {@link dev.tollgate.monitor.LogFormats#register};</li>
 *   <li>answers {@link #name()} with a constant, lower-case name ({@code csv}, {@code combined});</li>
 *   <li>returns from {@link #create()} a parser for one log — a new one whenever parsers keep
 *       state — which keeps the contract of {@link LogLineParser#parse}: never throwing on bad input,
 *       reporting it as {@link ParseResult#BAD} with a reason a user understands;</li>
 *   <li>rejects lines of other formats, so that {@link #detect} tells the formats apart;</li>
 *   <li>is thread-safe; its parsers need not be.</li>
 * </ol>
 *
 * <p>{@code dev.tollgate.monitor.spi.LogFormatProviderContract}, in the test-jar of this module, checks
 * these rules; a format's test extends it.
 */
public interface LogFormatProvider extends Provider {

    /** The format's name, as {@code --format} spells it. */
    @Override
    String name();

    /** One line saying what the format is, for help texts. */
    String description();

    /** A parser for one log. */
    LogLineParser create();

    /**
     * A parser for a later part of a log, starting in {@code state}: what {@link LogLineParser#state()} gave after
     * the line before that part. With it, {@code tollgate monitor} parses a regular file in parts on every core; a
     * format that does not offer it (the default: empty) is read by one thread. The report is the same either way,
     * so a parser resumed from a state must parse every line exactly as the parser that gave the state would have.
     */
    default Optional<LogLineParser> resume(Object state) {
        return Optional.empty();
    }

    /**
     * How well {@code firstLines} (the first non-blank lines of a log, raw UTF-8 without terminators)
     * fit this format: the number of them a fresh parser does not reject. Auto-detection picks the
     * format with the highest score, and none when every score is 0.
     */
    default int detect(List<byte[]> firstLines) {
        LogLineParser parser = create();
        ParsedLine line = new ParsedLine();
        int score = 0;
        for (byte[] bytes : firstLines) {
            line.reset();
            if (parser.parse(bytes, 0, bytes.length, line) != ParseResult.BAD) {
                score++;
            }
        }
        return score;
    }
}
