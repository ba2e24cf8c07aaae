package dev.tollgate.app;

import java.time.Duration;
import java.util.logging.Logger;

/**
 * A warning that may happen on every request, written at most once per period: the first occurrence at
 * once, later ones counted and reported with the next line a period on ("… and 41 more like it in the last
 * 10 s"). Thread-safe.
 */
final class QuietLog {

    private final Logger logger;
    private final long periodMillis;
    private long lastLine = Long.MIN_VALUE;
    private long suppressed;

    QuietLog(Logger logger, Duration period) {
        this.logger = logger;
        this.periodMillis = period.toMillis();
    }

    /** Logs {@code message} unless a line went out less than a period ago; then counts it. */
    void log(String message) {
        long now = System.currentTimeMillis();
        String line;
        synchronized (this) {
            if (lastLine != Long.MIN_VALUE && now - lastLine < periodMillis) {
                suppressed++;
                return;
            }
            line = suppressed == 0 ? message : message + " (and " + suppressed + " more like it since the last line)";
            suppressed = 0;
            lastLine = now;
        }
        logger.warning(line);
    }
}
