package dev.tollgate.web.view;

import java.util.List;

/**
 * The dashboard's panels of traffic facts over the window: where and by what blocked requests came, how the upstream
 * answered, and each rule's share of the blocks over time.
 *
 * @param blockedPaths  the paths with the most blocked requests
 * @param blockedAgents the user agents with the most blocked requests
 * @param upstream      the upstream's status classes and latency percentiles; gateway mode only
 * @param ruleShare     blocked requests per rule per bucket, stacked
 */
public record Facts(List<Count> blockedPaths, List<Count> blockedAgents, Upstream upstream, RuleShare ruleShare) {

    public Facts {
        blockedPaths = List.copyOf(blockedPaths);
        blockedAgents = List.copyOf(blockedAgents);
    }

    /**
     * A value and its count.
     *
     * @param value the path, user agent or status class
     * @param count its blocked requests (for a status class: its answers)
     */
    public record Count(String value, long count) {}

    /**
     * The upstream's answers to served requests over the window.
     *
     * @param total   the answers counted
     * @param classes the answers per status class, 1xx to 5xx
     * @param p50     the median time to the response head, in words ({@code 12.3 ms}); {@code -} without answers
     * @param p95     the 95th percentile
     * @param p99     the 99th percentile
     */
    public record Upstream(long total, List<Count> classes, String p50, String p95, String p99) {

        public Upstream {
            classes = List.copyOf(classes);
        }
    }

    /**
     * Blocked requests per rule per bucket, laid out for an SVG of {@link Chart#WIDTH} × {@link Chart#HEIGHT}.
     *
     * @param rules   the ranked rules, then {@code other}; a series' index is its colour
     * @param columns one per bucket, oldest first
     * @param max     the tallest column's blocked requests
     */
    public record RuleShare(List<String> rules, List<Column> columns, long max) {

        public RuleShare {
            rules = List.copyOf(rules);
            columns = List.copyOf(columns);
        }

        public boolean empty() {
            return max == 0;
        }
    }

    /**
     * One bucket's stack.
     *
     * @param x        the left edge
     * @param width    the width
     * @param segments one per series with blocks in the bucket, bottom first
     * @param label    the bucket's time and counts, for a tooltip
     */
    public record Column(double x, double width, List<Segment> segments, String label) {

        public Column {
            segments = List.copyOf(segments);
        }
    }

    /**
     * One series' part of a column.
     *
     * @param series the series' index in {@link RuleShare#rules()}, its colour
     * @param y      the top
     * @param height the height
     */
    public record Segment(int series, double y, double height) {}
}
