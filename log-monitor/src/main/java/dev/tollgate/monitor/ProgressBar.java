package dev.tollgate.monitor;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar on stderr while a regular file is read, redrawn at most ten times a second. */
final class ProgressBar {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream err;
    private final long total;
    private final boolean enabled;
    private final long startNanos = System.nanoTime();
    private long lastDraw = startNanos - REDRAW_NANOS;
    private int drawnLength;

    private ProgressBar(PrintStream err, long total, boolean enabled) {
        this.err = err;
        this.total = total;
        this.enabled = enabled;
    }

    static ProgressBar of(PrintStream err, long totalBytes) {
        return new ProgressBar(err, totalBytes, true);
    }

    static ProgressBar disabled() {
        return new ProgressBar(null, 0, false);
    }

    /** Redraws when the last drawing is old enough. */
    void update(long bytes, long lines) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            draw(bytes, lines, now);
        }
    }

    /** Removes the bar so that other output starts on a clean line; the next update draws it again. */
    void clear() {
        if (enabled && drawnLength > 0) {
            err.print("\r" + " ".repeat(drawnLength) + "\r");
            err.flush();
            drawnLength = 0;
        }
    }

    /** Draws the final state and ends the line. */
    void finish(long bytes, long lines) {
        if (enabled) {
            draw(bytes, lines, System.nanoTime());
            err.print("\n");
            err.flush();
            drawnLength = 0;
        }
    }

    private void draw(long bytes, long lines, long now) {
        double fraction = total <= 0 ? 1.0 : Math.min(1.0, bytes / (double) total);
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
        String text = String.format(
                Locale.ROOT,
                "\r[%s%s] %3d%%  %,d lines  %s lines/s",
                "#".repeat(filled),
                "-".repeat(WIDTH - filled),
                Math.round(fraction * 100),
                lines,
                rate(lines / seconds));
        int length = text.length() - 1;
        if (length < drawnLength) {
            text = text + " ".repeat(drawnLength - length);
        }
        err.print(text);
        err.flush();
        drawnLength = Math.max(length, drawnLength);
    }

    private static String rate(double perSecond) {
        if (perSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.1fM", perSecond / 1e6);
        }
        if (perSecond >= 1e3) {
            return String.format(Locale.ROOT, "%.0fk", perSecond / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", perSecond);
    }
}
