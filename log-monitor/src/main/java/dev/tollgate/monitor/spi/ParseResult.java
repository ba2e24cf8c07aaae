package dev.tollgate.monitor.spi;

/** What a {@link LogLineParser} made of one line. */
public enum ParseResult {

    /** The line is a request; the {@link ParsedLine} describes it. */
    RECORD,

    /** The line carries no request and is not an error: a header, a comment. */
    SKIP,

    /** The line is malformed; {@link ParsedLine#problem()} says why. */
    BAD
}
