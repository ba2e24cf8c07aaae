package dev.tollgate.web.view;

import java.util.List;

/**
 * The traffic chart, laid out for an SVG of {@link #WIDTH} × {@link #HEIGHT}: a stacked bar per time
 * bucket, allowed at the bottom, then the requests a shadow rule would have refused (served all the same), then
 * blocked.
 *
 * @param bars   the bars, oldest first
 * @param max    the tallest bar's requests, the top of the scale
 * @param from   the start of the window, UTC ({@code 2026-03-14 12:00})
 * @param to     the end of the window, UTC
 * @param bucket the width of a bucket, in words ({@code 30 minutes})
 * @param url    where the page fetches the chart again
 * @param refreshSeconds how often, at most, it does so while the live counters tick
 */
public record Chart(List<Bar> bars, long max, String from, String to, String bucket, String url, long refreshSeconds) {

    /** The SVG's width in user units. */
    public static final int WIDTH = 720;
    /** The SVG's height in user units. */
    public static final int HEIGHT = 160;

    public Chart {
        bars = List.copyOf(bars);
    }

    /** Whether no bucket holds a request. */
    public boolean empty() {
        return max == 0;
    }

    public int width() {
        return WIDTH;
    }

    public int height() {
        return HEIGHT;
    }

    /**
     * One bucket's bar; coordinates in SVG user units, y growing downwards.
     *
     * @param x             the left edge
     * @param width         the width
     * @param allowedY      the top of the allowed part
     * @param allowedHeight the height of the allowed part
     * @param shadowY       the top of the shadow-blocked part
     * @param shadowHeight  the height of the shadow-blocked part
     * @param blockedY      the top of the blocked part
     * @param blockedHeight the height of the blocked part
     * @param label         the bucket's time and counts, for a tooltip
     */
    public record Bar(
            double x,
            double width,
            double allowedY,
            double allowedHeight,
            double shadowY,
            double shadowHeight,
            double blockedY,
            double blockedHeight,
            String label) {}
}
