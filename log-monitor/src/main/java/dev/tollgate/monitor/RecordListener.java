package dev.tollgate.monitor;

/**
 * Receives every request read, in input order, on the thread that called {@link LogMonitor#run}: the
 * hook for replaying a log through rate-limit rules with log time as the limiter clock. Registering
 * one makes the monitor build a {@link LogRecord} per line, which costs a few allocations a line; a
 * listener that throws is reported on stderr once and then left out.
 */
@FunctionalInterface
public interface RecordListener {

    /**
     * One request. {@code late} is true when it came more than {@code --lateness} after newer
     * requests and so was left out of the statistics; it is delivered anyway so that a replay sees
     * the whole log.
     */
    void onRecord(LogRecord record, boolean late);
}
