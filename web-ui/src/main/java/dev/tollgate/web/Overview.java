package dev.tollgate.web;

import dev.tollgate.core.Rule;
import dev.tollgate.core.Tollgate;
import dev.tollgate.events.BlockedByRule;
import dev.tollgate.events.BlockedCount;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.Offender;
import dev.tollgate.events.OffenderDetail;
import dev.tollgate.events.OffenderTimeline;
import dev.tollgate.events.RuleHits;
import dev.tollgate.events.TimeRange;
import dev.tollgate.events.TimeSeries;
import dev.tollgate.events.TrafficSummary;
import dev.tollgate.events.UpstreamStats;
import dev.tollgate.web.view.Chart;
import dev.tollgate.web.view.DashboardView;
import dev.tollgate.web.view.Facts;
import dev.tollgate.web.view.Live;
import dev.tollgate.web.view.OffenderRow;
import dev.tollgate.web.view.OffenderView;
import dev.tollgate.web.view.RuleRow;
import dev.tollgate.web.view.Summary;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard page, {@code dashboard/}: today's cards, the live counters and the panels of the window
 * (its cards, the chart, top offenders and rule hits). An htmx request gets the panels alone, which is
 * how the days selector swaps them. Also the offender drill-down, {@code dashboard/offender/?key=}: JSON
 * for scripts, the HTML fragment for htmx.
 */
final class Overview {

    /** Rows of the blocked paths and user agents tables. */
    static final int FACT_ROWS = 10;
    /** Rules of their own in the chart of blocks per rule; the rest are {@code other}. */
    static final int SHARE_RULES = 5;

    /** Rows of the offenders and rules tables. */
    static final int TABLE_ROWS = 20;
    /** Recent events in the drill-down fragment; the JSON has {@link EventStore#DEFAULT_RECENT}. */
    static final int FRAGMENT_RECENT = 20;
    /** The windows the selector offers, besides the one shown. */
    static final List<String> CHOICES = List.of("15m", "1h", "6h", "24h", "7d", "30d", "90d", "365d");

    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTES =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private final Tollgate tollgate;
    private final Templates templates;

    Overview(Tollgate tollgate, Templates templates) {
        this.tollgate = tollgate;
        this.templates = templates;
    }

    void page(RoutingContext ctx, EventStore store) {
        TimeRange range = Parameters.window(ctx);
        String windowQuery = Parameters.windowQuery(ctx);
        boolean panelsOnly = Responses.fromHtmx(ctx);
        Future<TrafficSummary> today = panelsOnly ? Future.succeededFuture() : store.trafficSummary(1);
        Future<TrafficSummary> window = store.trafficSummary(range);
        Future<List<Offender>> offenders = store.topOffenders(range, TABLE_ROWS);
        Future<List<RuleHits>> rules = store.ruleHitCounts(range, TABLE_ROWS);
        Future<TimeSeries> series = store.timeSeries(range);
        Future<Facts> facts = facts(store, range);
        Future.all(today, window, offenders, rules, series, facts).onComplete(done -> {
            if (done.failed()) {
                ctx.fail(done.cause());
                return;
            }
            String base = Responses.base(ctx);
            DashboardView.Panels panels = panels(
                    base,
                    range,
                    windowQuery,
                    window.result(),
                    offenders.result(),
                    rules.result(),
                    series.result(),
                    facts.result(),
                    kinds());
            if (panelsOnly) {
                Responses.html(ctx, 200, templates.render("panels", panels));
                return;
            }
            long dropped = tollgate.metrics().droppedEvents();
            DashboardView view = new DashboardView(
                    StaffAccess.page(ctx, "Dashboard"),
                    Summary.of("Last 24 hours", "today", today.result()),
                    new Live(0, 0, 0, 0, 0, dropped, ""),
                    dropped,
                    panels);
            Responses.html(ctx, 200, templates.render("dashboard", view));
        });
    }

    /** {@code dashboard/offender/?key=}: the drill-down of one key. */
    void offender(RoutingContext ctx, EventStore store) {
        String key = Parameters.first(ctx, "key").orElse("");
        if (key.isEmpty()) {
            Responses.json(ctx, 400, new JsonObject().put("error", "missing ?key= parameter"));
            return;
        }
        Optional<TimeRange> range = Parameters.range(ctx);
        int days = Parameters.days(ctx);
        boolean fragment = Responses.fromHtmx(ctx);
        int recent = fragment ? FRAGMENT_RECENT : EventStore.DEFAULT_RECENT;
        Future<OffenderDetail> detail = range.map(r -> store.offenderDetail(key, r, recent))
                .orElseGet(() -> store.offenderDetail(key, days, recent));
        if (!fragment) {
            detail.onComplete(answer -> {
                if (answer.failed()) {
                    ctx.fail(answer.cause());
                } else {
                    ctx.response().putHeader("Vary", "HX-Request");
                    Responses.json(ctx, 200, answer.result().toJson());
                }
            });
            return;
        }
        Future<OffenderTimeline> timeline = store.offenderTimeline(key, TimeRange.HOUR, FACT_ROWS);
        Future.all(detail, timeline).onComplete(done -> {
            if (done.failed()) {
                ctx.fail(done.cause());
                return;
            }
            String base = Responses.base(ctx);
            OffenderTimeline hour = timeline.result();
            Responses.html(
                    ctx,
                    200,
                    templates.render(
                            "offender",
                            offenderView(
                                    base,
                                    detail.result(),
                                    Parameters.windowQuery(ctx),
                                    chart(TimeSeries.of(hour.range(), hour.buckets()), base, "range=1h"),
                                    counts(hour.userAgents()))));
        });
    }

    /**
     * {@code dashboard/chart}: the chart of the window alone, which the page fetches again as the live counters tick,
     * so that the chart of the current range moves by itself.
     */
    void chart(RoutingContext ctx, EventStore store) {
        TimeRange range = Parameters.window(ctx);
        store.timeSeries(range).onComplete(answer -> {
            if (answer.failed()) {
                ctx.fail(answer.cause());
            } else {
                Responses.html(
                        ctx,
                        200,
                        templates.render(
                                "chart", chart(answer.result(), Responses.base(ctx), Parameters.windowQuery(ctx))));
            }
        });
    }

    /** How many chart buckets a window gets: hours up to 2 days, 6 hours up to 14 days, else days. */
    static int buckets(int days) {
        if (days <= 2) {
            return days * 24;
        }
        return days <= 14 ? days * 4 : days;
    }

    /**
     * The kinds of the rules in force that are not rate rules, by name: a quota's refusals in the rule hits are told
     * from a rate rule's by the kind beside its name.
     */
    private Map<String, String> kinds() {
        Map<String, String> kinds = new HashMap<>();
        for (Rule rule : tollgate.rules()) {
            if (rule.kind() != Rule.Kind.RATE) {
                kinds.put(rule.name(), rule.kind().id());
            }
        }
        return kinds;
    }

    private static DashboardView.Panels panels(
            String base,
            TimeRange range,
            String windowQuery,
            TrafficSummary window,
            List<Offender> offenders,
            List<RuleHits> rules,
            TimeSeries series,
            Facts facts,
            Map<String, String> kinds) {
        List<OffenderRow> offenderRows = new ArrayList<>();
        for (int i = 0; i < offenders.size(); i++) {
            Offender offender = offenders.get(i);
            String key = Parameters.encode(offender.key());
            offenderRows.add(new OffenderRow(
                    i,
                    offender.key(),
                    offender.blockedCount(),
                    base + "dashboard/offender/?key=" + key + "&" + windowQuery,
                    base + "dashboard/log/?key=" + key));
        }
        List<RuleRow> ruleRows = rules.stream()
                .map(rule -> new RuleRow(
                        rule.ruleName(),
                        kinds.getOrDefault(rule.ruleName(), ""),
                        rule.hits(),
                        rule.blocked(),
                        rule.shadowBlocked(),
                        base + "dashboard/log/?rule=" + Parameters.encode(rule.ruleName())))
                .toList();
        List<String> choices = new ArrayList<>(CHOICES);
        if (!choices.contains(range.name())) {
            choices.add(range.name());
        }
        return new DashboardView.Panels(
                range.name(),
                range.wholeDays().orElse(0),
                choices,
                Summary.of(label(range), "window", window),
                chart(series, base, windowQuery),
                offenderRows,
                ruleRows,
                base + "dashboard/offenders.csv?" + windowQuery,
                base + "dashboard/offenders.csv?" + windowQuery + "&shadow=true",
                base + "dashboard/",
                facts);
    }

    /** The traffic facts of the window: blocked paths and user agents, the upstream's answers, blocks per rule. */
    static Future<Facts> facts(EventStore store, TimeRange range) {
        Future<List<BlockedCount>> paths = store.topBlockedPaths(range, FACT_ROWS);
        Future<List<BlockedCount>> agents = store.topBlockedUserAgents(range, FACT_ROWS);
        Future<UpstreamStats> upstream = store.upstreamStats(range);
        Future<BlockedByRule> byRule = store.blockedByRule(range, SHARE_RULES);
        return Future.all(paths, agents, upstream, byRule)
                .map(done -> new Facts(
                        counts(paths.result()),
                        counts(agents.result()),
                        upstream(upstream.result()),
                        ruleShare(byRule.result())));
    }

    private static List<Facts.Count> counts(List<BlockedCount> counts) {
        return counts.stream().map(c -> new Facts.Count(c.value(), c.count())).toList();
    }

    static Facts.Upstream upstream(UpstreamStats stats) {
        List<Facts.Count> classes = new ArrayList<>(5);
        for (int i = 0; i < stats.classes().size(); i++) {
            classes.add(new Facts.Count((i + 1) + "xx", stats.classes().get(i)));
        }
        return new Facts.Upstream(
                stats.total(), classes, latency(stats.p50()), latency(stats.p95()), latency(stats.p99()));
    }

    /** A latency in milliseconds with one decimal, or {@code -}. */
    static String latency(Optional<Duration> latency) {
        return latency.map(d -> String.format(java.util.Locale.ROOT, "%.1f ms", d.toNanos() / 1_000_000.0))
                .orElse("-");
    }

    /** Stacks each bucket's blocks per rule, bottom first in the ranking's order, {@code other} on top. */
    static Facts.RuleShare ruleShare(BlockedByRule share) {
        List<String> series = new ArrayList<>(share.rules());
        series.add("other");
        List<BlockedByRule.Bucket> buckets = share.buckets();
        long max = 0;
        for (BlockedByRule.Bucket bucket : buckets) {
            long total = bucket.other();
            for (long blocked : bucket.blocked()) {
                total += blocked;
            }
            max = Math.max(max, total);
        }
        double slot = buckets.isEmpty() ? 0 : (double) Chart.WIDTH / buckets.size();
        double width = buckets.size() <= 120 ? slot * 0.8 : slot;
        List<Facts.Column> columns = new ArrayList<>(buckets.size());
        for (int i = 0; i < buckets.size(); i++) {
            BlockedByRule.Bucket bucket = buckets.get(i);
            List<Facts.Segment> segments = new ArrayList<>();
            double top = Chart.HEIGHT;
            StringBuilder label =
                    new StringBuilder(SECONDS.format(bucket.start()) + " to " + SECONDS.format(bucket.end()) + ":");
            for (int r = 0; r < series.size(); r++) {
                long blocked = r < bucket.blocked().size() ? bucket.blocked().get(r) : bucket.other();
                if (blocked == 0 || max == 0) {
                    continue;
                }
                double height = (double) blocked * Chart.HEIGHT / max;
                top -= height;
                segments.add(new Facts.Segment(r, round(top), round(height)));
                label.append(' ')
                        .append(series.get(r))
                        .append(' ')
                        .append(blocked)
                        .append(',');
            }
            if (label.charAt(label.length() - 1) == ',') {
                label.setLength(label.length() - 1);
            }
            columns.add(new Facts.Column(round(i * slot), round(width), segments, label.toString()));
        }
        return new Facts.RuleShare(series, columns, max);
    }

    /** The window in words: {@code Last 15 minutes}, {@code Last day}, {@code Last 12 days}. */
    static String label(TimeRange range) {
        Optional<Integer> days = range.wholeDays();
        if (days.isPresent() && !range.equals(TimeRange.HOURS_24)) {
            return days.get() == 1 ? "Last day" : "Last " + days.get() + " days";
        }
        return "Last " + words(range.length());
    }

    static OffenderView offenderView(
            String base, OffenderDetail detail, String windowQuery, Chart timeline, List<Facts.Count> userAgents) {
        String key = Parameters.encode(detail.key());
        return new OffenderView(
                detail,
                Summary.rate(detail.blockRate()),
                detail.firstSeen().map(MINUTES::format).orElse("-"),
                detail.lastSeen().map(MINUTES::format).orElse("-"),
                base + "dashboard/log/?key=" + key,
                base + "dashboard/offender/?key=" + key + "&" + windowQuery,
                timeline,
                userAgents);
    }

    /**
     * Lays the series out as stacked bars, allowed at the bottom, shadow-blocked (served) above, blocked on top,
     * scaled to the tallest bucket.
     */
    static Chart chart(TimeSeries series, String base, String windowQuery) {
        List<TimeSeries.Bucket> buckets = series.buckets();
        long max = 0;
        for (TimeSeries.Bucket bucket : buckets) {
            max = Math.max(max, bucket.total());
        }
        double slot = (double) Chart.WIDTH / buckets.size();
        double width = buckets.size() <= 120 ? slot * 0.8 : slot;
        List<Chart.Bar> bars = new ArrayList<>(buckets.size());
        for (int i = 0; i < buckets.size(); i++) {
            TimeSeries.Bucket bucket = buckets.get(i);
            double allowed = max == 0 ? 0 : (double) bucket.allowed() * Chart.HEIGHT / max;
            double shadow = max == 0 ? 0 : (double) bucket.shadowBlocked() * Chart.HEIGHT / max;
            double blocked = max == 0 ? 0 : (double) bucket.blocked() * Chart.HEIGHT / max;
            bars.add(new Chart.Bar(
                    round(i * slot),
                    round(width),
                    round(Chart.HEIGHT - allowed),
                    round(allowed),
                    round(Chart.HEIGHT - allowed - shadow),
                    round(shadow),
                    round(Chart.HEIGHT - allowed - shadow - blocked),
                    round(blocked),
                    SECONDS.format(bucket.start()) + " to " + SECONDS.format(bucket.end()) + ": " + bucket.allowed()
                            + " allowed, " + bucket.shadowBlocked() + " would block (shadow), " + bucket.blocked()
                            + " blocked"));
        }
        Instant from = buckets.get(0).start();
        Instant to = buckets.get(buckets.size() - 1).end();
        DateTimeFormatter format = series.bucketWidth().compareTo(Duration.ofMinutes(1)) < 0 ? SECONDS : MINUTES;
        return new Chart(
                bars,
                max,
                format.format(from),
                format.format(to),
                words(series.bucketWidth()),
                base + "dashboard/chart?" + windowQuery,
                refreshSeconds(series.bucketWidth()));
    }

    /** How often the page fetches the chart again: a fifth of a bucket, between 2 s and a minute. */
    static long refreshSeconds(Duration bucket) {
        return Math.max(2, Math.min(60, bucket.toSeconds() / 5));
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    static String words(Duration width) {
        long days = width.toDays();
        long hours = width.toHours();
        long minutes = width.toMinutes();
        if (width.equals(Duration.ofDays(days)) && days > 0) {
            return days == 1 ? "day" : days + " days";
        }
        if (width.equals(Duration.ofHours(hours)) && hours > 0) {
            return hours == 1 ? "hour" : hours + " hours";
        }
        if (width.equals(Duration.ofMinutes(minutes)) && minutes > 0) {
            return minutes == 1 ? "minute" : minutes + " minutes";
        }
        return width.toSeconds() + " seconds";
    }
}
