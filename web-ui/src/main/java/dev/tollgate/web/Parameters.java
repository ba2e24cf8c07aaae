package dev.tollgate.web;

import dev.tollgate.core.Printable;
import dev.tollgate.events.TimeRange;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads the query parameters of the dashboard's routes. Lenient where the HTTP surface says so. */
final class Parameters {

    /** The window when {@code ?days=} is absent or not an integer. */
    static final int DEFAULT_DAYS = 7;

    static final int MAX_DAYS = 365;

    private static final Pattern DAYS_RANGE = Pattern.compile("[1-9][0-9]{0,2}d");
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

    private Parameters() {}

    /**
     * {@code ?days=}: an integer clamped to 1..365; anything else, absent included, is 7. {@code 0} → 1,
     * {@code -3} → 1, {@code 366} → 365, {@code abc}, {@code 7.5} and the empty string → 7.
     */
    static int days(RoutingContext ctx) {
        return days(first(ctx, "days").orElse(null));
    }

    static int days(String value) {
        return clamped(value, 1, MAX_DAYS, DEFAULT_DAYS);
    }

    /**
     * {@code ?range=}: one of the named ranges ({@value TimeRange#NAMES}), or whole days from {@code 1d} to
     * {@code 365d} (the window of {@code ?days=}, with the chart's buckets); empty when absent, so that the report keeps
     * its {@code ?days=} window.
     *
     * @throws IllegalArgumentException for any other value, which the dashboard answers with 400
     */
    static Optional<TimeRange> range(RoutingContext ctx) {
        Optional<String> given = first(ctx, "range");
        if (given.isEmpty()) {
            return Optional.empty();
        }
        String value = given.get().strip();
        Optional<TimeRange> named = TimeRange.parse(value);
        if (named.isPresent()) {
            return named;
        }
        if (DAYS_RANGE.matcher(value).matches()) {
            int days = Integer.parseInt(value.substring(0, value.length() - 1));
            if (days <= MAX_DAYS) {
                return Optional.of(TimeRange.ofDays(days, Overview.buckets(days)));
            }
        }
        throw new IllegalArgumentException("range must be one of " + TimeRange.NAMES + ", or 1d to 365d, got '"
                + Printable.escape(value.length() > 20 ? value.substring(0, 20) + "…" : value) + "'");
    }

    /** The window of a page: {@code ?range=} when given, else the {@code ?days=} window with the chart's buckets. */
    static TimeRange window(RoutingContext ctx) {
        return range(ctx).orElseGet(() -> {
            int days = days(ctx);
            return TimeRange.ofDays(days, Overview.buckets(days));
        });
    }

    /**
     * The query parameter that keeps the window of {@code ctx} in a link: {@code range=…} when the request named a
     * range, else {@code days=N}.
     */
    static String windowQuery(RoutingContext ctx) {
        return range(ctx).map(range -> "range=" + range.name()).orElseGet(() -> "days=" + days(ctx));
    }

    /** {@code value} as an integer clamped to {@code min..max}; {@code fallback} when it is not an integer. */
    static int clamped(String value, int min, int max, int fallback) {
        if (value == null || !INTEGER.matcher(value).matches()) {
            return fallback;
        }
        String digits = value.startsWith("+") || value.startsWith("-") ? value.substring(1) : value;
        boolean negative = value.startsWith("-");
        String significant = digits.replaceFirst("^0+(?=.)", "");
        if (significant.length() > 9) {
            return negative ? min : max;
        }
        long number = Long.parseLong(significant) * (negative ? -1 : 1);
        return (int) Math.max(min, Math.min(max, number));
    }

    /**
     * {@code ?shadow=}: {@code true} asks for the would-be offenders of shadow rules instead of the enforced ranking;
     * absent, empty or {@code false} (in any case) for the enforced one.
     *
     * @throws IllegalArgumentException for any other value, which the dashboard answers with 400
     */
    static boolean shadow(RoutingContext ctx) {
        String value = text(ctx, "shadow");
        if (value.isEmpty() || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new IllegalArgumentException("shadow must be true (the would-be offenders of shadow rules) or false"
                + " (the offenders of enforced blocks), got '" + value + "'");
    }

    /** The first value of parameter {@code name}. */
    static Optional<String> first(RoutingContext ctx, String name) {
        List<String> values = ctx.queryParam(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The first value of {@code name}, empty when absent or blank. */
    static String text(RoutingContext ctx, String name) {
        return first(ctx, name).map(String::strip).orElse("");
    }

    /** {@code value} encoded for a query string. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
