package dev.tollgate.monitor;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * How far a run has got, given about once a second of wall time while it reads (and once more, with
 * {@code ended} true, when the input has ended), from the counts the summary is made of.
 *
 * @param lines the lines read, blank ones and headers included
 * @param records the requests read, late ones included
 * @param badLines the lines that could not be parsed, and those whose time was out of range
 * @param lateLines the requests left out for coming too late
 * @param bytesRead the bytes of the input read so far
 * @param totalBytes the size of a regular file being read to its end; empty for stdin and {@code --follow}
 * @param newestSecond the newest second of log time reached; empty before the first request
 * @param ended whether the input has ended (or the run was stopped)
 */
public record MonitorProgress(
        long lines,
        long records,
        long badLines,
        long lateLines,
        long bytesRead,
        OptionalLong totalBytes,
        OptionalLong newestSecond,
        boolean ended) {

    public MonitorProgress {
        Objects.requireNonNull(totalBytes, "totalBytes");
        Objects.requireNonNull(newestSecond, "newestSecond");
    }
}
