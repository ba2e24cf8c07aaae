package dev.tollgate.monitor.spi;

/**
 * Parses the lines of one log, in order. A parser may keep state between lines (the CSV parser
 * remembers the column order of a header), so each log gets its own parser and a parser is used by
 * one thread at a time.
 */
@FunctionalInterface
public interface LogLineParser {

    /**
     * Parses the line held in {@code bytes[from, to)} — UTF-8, without its line terminator, never
     * blank — into {@code into}, which arrives {@linkplain ParsedLine#reset() reset}.
     *
     * <p>For {@link ParseResult#RECORD} the parser has set the host, method and path, the epoch
     * second, the status and the byte count; for {@link ParseResult#BAD} it has called
     * {@link ParsedLine#fail(String)}. It never throws on bad input. The parsed fields may point into
     * {@code bytes} or into arrays the parser owns; they must stay unchanged until the next call.
     */
    ParseResult parse(byte[] bytes, int from, int to, ParsedLine into);

    /**
     * What this parser carries from the lines it parsed to the next ones (the CSV parser: the column order of the
     * latest header), as a value with {@code equals}; {@code null} when it carries nothing. Only asked of the parsers
     * of formats that {@linkplain LogFormatProvider#resume(Object) resume}.
     */
    default Object state() {
        return null;
    }
}
