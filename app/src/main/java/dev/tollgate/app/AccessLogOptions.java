package dev.tollgate.app;

/**
 * The {@code accessLog} settings.
 *
 * @param path the file written, or {@code -} for stdout
 * @param format how a request is spelled
 * @param maxBytes the size past which the file is rotated
 * @param keep rotated files kept: {@code access.log.1} (the newest) to {@code access.log.<keep>}
 * @param queueSize lines waiting for the writer, past which new lines are dropped and counted
 */
record AccessLogOptions(String path, AccessLogFormat format, long maxBytes, int keep, int queueSize) {

    /** The {@code path} that means stdout. */
    static final String STDOUT = "-";

    boolean toStdout() {
        return path.equals(STDOUT);
    }
}
