package dev.tollgate.core;

import dev.tollgate.limiter.ConcurrencyLimiter;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.QuotaLimiter;
import dev.tollgate.limiter.QuotaPeriod;
import dev.tollgate.plugin.Durations;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One rate-limit rule: which requests it covers, whom it counts them against, and the limit.
 *
 * <p>A rule is of a {@link Kind}: a {@code rate} rule (the default) limits how often a key may ask, with an
 * algorithm over a window; a {@code concurrency} rule limits how many of a key's requests may be in flight at once,
 * each holding {@code cost} slots of its {@code limit} until its response ends. A concurrency rule takes no
 * {@code algorithm}, {@code window} or {@code burst}; its limit's window is the slot timeout ({@code slotTimeout},
 * default 60 s), after which a shared backend takes back a slot a dead node still held, and its refusals answer
 * with {@code status} (429, or 503 for a rule that protects an upstream). With {@code key: global} a rule counts
 * every request it covers against one key: a concurrency rule then caps the requests in flight to what it covers.
 * A {@code quota} rule limits how much a key may take in a calendar period ({@code period}: a day, an ISO week, a
 * month, a year in its {@code zone}, default UTC, or a run of days), each request taking {@code cost}, or as many as
 * its {@code costHeader} says.
 * A rate rule may delay a request over its rate until its permits are due instead of refusing it
 * ({@code onExceed: delay}, with {@code maxDelay} and {@code maxQueued}; see {@link OnExceed}).
 *
 * <p>An {@code adaptive} rule is a concurrency rule whose limit moves with the latency and the errors of the responses
 * to what it covers ({@link AdaptiveOptions}), between {@code minLimit} and {@code maxLimit}: a guard in front of an
 * upstream, so its key defaults to {@code global} and its refusals to 503. Its limit is each node's own (a latency
 * is what one node saw); its {@code limit} is a spec of the {@value #ADAPTIVE_ALGORITHM} algorithm whose limit is
 * the {@code maxLimit}.
 *
 * @param name     unique name; events and metrics carry it
 * @param path     the paths covered, matched against the {@link RequestPath normalized} path
 * @param methods  the methods covered, upper case; empty covers every method
 * @param key      the key kind and argument, as in {@code ip} or {@code header:X-API-Key}
 * @param limit    the limit, algorithm included
 * @param priority which rule names an allowed request's event and headers: the highest wins
 * @param shadow   a shadow rule counts and records but never blocks
 * @param enabled  a disabled rule is ignored
 * @param kind     what the rule limits: a rate, or the requests in flight
 * @param status   the status of a request the rule refuses: 429, or 503 for a concurrency or adaptive rule
 * @param adaptive how an adaptive rule moves its limit; empty for every other kind
 * @param onExceed what a rate rule does with a request over its rate: refuse it, or delay it
 * @param quotaPeriod the periods a quota rule counts over; empty for every other kind
 * @param costHeader  the header a quota rule reads a request's cost from, when it names one
 */
public record Rule(
        String name,
        PathPattern path,
        Set<String> methods,
        String key,
        LimitSpec limit,
        int priority,
        boolean shadow,
        boolean enabled,
        Kind kind,
        int status,
        Optional<AdaptiveOptions> adaptive,
        OnExceed onExceed,
        Optional<QuotaPeriod> quotaPeriod,
        Optional<String> costHeader) {

    /** The algorithm of a rule that names none. */
    public static final String DEFAULT_ALGORITHM = "sliding-window-counter";

    /** The status of a refused request, unless a concurrency rule says 503. */
    public static final int DEFAULT_STATUS = 429;

    /** The algorithm of an adaptive rule's {@link #limit()}, whose limiter is each node's own. */
    public static final String ADAPTIVE_ALGORITHM = "adaptive";

    /** The status of a request an adaptive rule refuses, unless it says 429: the upstream is being protected. */
    public static final int ADAPTIVE_STATUS = 503;

    /** What a rule limits. */
    public enum Kind {
        /** How often a key may ask: an algorithm over a window. */
        RATE,
        /** How many of a key's requests may be in flight at once. */
        CONCURRENCY,
        /** How many requests may be in flight at once, the limit following the upstream's latency and errors. */
        ADAPTIVE,
        /** How much a key may take in a calendar period. */
        QUOTA;

        /** The kind as configuration spells it: {@code rate}, {@code concurrency}, {@code adaptive}, {@code quota}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Set<String> RATE_ONLY =
            Set.of("algorithm", "window", "burst", "onExceed", "maxDelay", "maxQueued");
    private static final Set<String> DELAY_ONLY = Set.of("maxDelay", "maxQueued");
    private static final Set<String> CONCURRENCY_ONLY = Set.of("slotTimeout", "status");
    private static final Set<String> ADAPTIVE_REFUSED =
            Set.of("limit", "window", "burst", "cost", "slotTimeout", "onExceed", "maxDelay", "maxQueued");
    private static final Set<String> QUOTA_ONLY = Set.of("period", "zone", "costHeader");
    /** A header name: an HTTP token, at most {@value #MAX_HEADER_NAME} characters. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");
    /** The longest header name a quota rule reads its cost from. */
    public static final int MAX_HEADER_NAME = 100;

    private static final Set<String> NON_ADAPTIVE_FIELDS = Set.of(
            "name",
            "path",
            "methods",
            "key",
            "algorithm",
            "limit",
            "window",
            "burst",
            "cost",
            "priority",
            "shadow",
            "enabled",
            "ignoreCase",
            "kind",
            "slotTimeout",
            "status",
            "onExceed",
            "maxDelay",
            "maxQueued",
            "period",
            "zone",
            "costHeader");
    /** Every field a rule may have. */
    private static final Set<String> FIELDS = java.util.stream.Stream.concat(
                    NON_ADAPTIVE_FIELDS.stream(), AdaptiveOptions.FIELDS.stream())
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    public Rule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(adaptive, "adaptive");
        Objects.requireNonNull(onExceed, "onExceed");
        Objects.requireNonNull(quotaPeriod, "quotaPeriod");
        Objects.requireNonNull(costHeader, "costHeader");
        methods = Set.copyOf(methods);
        if (name.isBlank()) {
            throw new IllegalArgumentException("a rule needs a name");
        }
        if ((kind == Kind.CONCURRENCY) != limit.algorithm().equals(ConcurrencyLimiter.ALGORITHM)) {
            throw new IllegalArgumentException("a " + kind.id() + " rule cannot have the algorithm " + limit.algorithm()
                    + ": the concurrency algorithm is for concurrency rules, and only for them");
        }
        if ((kind == Kind.ADAPTIVE) != adaptive.isPresent()
                || (kind == Kind.ADAPTIVE) != limit.algorithm().equals(ADAPTIVE_ALGORITHM)) {
            throw new IllegalArgumentException("an adaptive rule, and only an adaptive rule, has adaptive options and"
                    + " the algorithm " + ADAPTIVE_ALGORITHM + "; got a " + kind.id() + " rule with " + adaptive
                    + " and " + limit.algorithm());
        }
        if ((kind == Kind.QUOTA) != limit.algorithm().equals(QuotaLimiter.ALGORITHM)
                || (kind == Kind.QUOTA) != quotaPeriod.isPresent()) {
            throw new IllegalArgumentException("a " + kind.id() + " rule cannot have the algorithm " + limit.algorithm()
                    + (quotaPeriod.isPresent() ? " and a period" : "")
                    + ": the quota algorithm and a period are for quota rules, and only for them");
        }
        if (costHeader.isPresent()
                && (kind != Kind.QUOTA || !HEADER_NAME.matcher(costHeader.get()).matches())) {
            throw new IllegalArgumentException(
                    "a cost header is for quota rules, a header name of 1 to " + MAX_HEADER_NAME + " characters");
        }
        if (status != DEFAULT_STATUS && (status != 503 || kind == Kind.RATE || kind == Kind.QUOTA)) {
            throw new IllegalArgumentException(
                    "a refusal's status is 429, or 503 for a concurrency or adaptive rule; got " + status);
        }
        if (onExceed.delays() && kind != Kind.RATE) {
            throw new IllegalArgumentException("only a rate rule can delay a request over its rate");
        }
    }

    /** A rule of any kind but adaptive or quota, that refuses what is over its limit. */
    public Rule(
            String name,
            PathPattern path,
            Set<String> methods,
            String key,
            LimitSpec limit,
            int priority,
            boolean shadow,
            boolean enabled,
            Kind kind,
            int status) {
        this(
                name,
                path,
                methods,
                key,
                limit,
                priority,
                shadow,
                enabled,
                kind,
                status,
                Optional.empty(),
                OnExceed.REFUSE);
    }

    /** A rule of any kind but quota: no quota period, no cost header. */
    public Rule(
            String name,
            PathPattern path,
            Set<String> methods,
            String key,
            LimitSpec limit,
            int priority,
            boolean shadow,
            boolean enabled,
            Kind kind,
            int status,
            Optional<AdaptiveOptions> adaptive,
            OnExceed onExceed) {
        this(
                name,
                path,
                methods,
                key,
                limit,
                priority,
                shadow,
                enabled,
                kind,
                status,
                adaptive,
                onExceed,
                Optional.empty(),
                Optional.empty());
    }

    /**
     * An adaptive rule: {@code adaptive} says how its limit moves, and refusals answer {@code status}, 503 or 429.
     */
    public static Rule adaptive(String name, PathPattern path, String key, AdaptiveOptions adaptive, int status) {
        return new Rule(
                name,
                path,
                Set.of(),
                key,
                adaptiveSpec(adaptive),
                0,
                false,
                true,
                Kind.ADAPTIVE,
                status,
                Optional.of(adaptive),
                OnExceed.REFUSE);
    }

    /** The limit of an adaptive rule: the {@value #ADAPTIVE_ALGORITHM} algorithm, up to {@code maxLimit}. */
    static LimitSpec adaptiveSpec(AdaptiveOptions adaptive) {
        return new LimitSpec(
                ADAPTIVE_ALGORITHM,
                adaptive.maxLimit(),
                ConcurrencyLimiter.DEFAULT_SLOT_TIMEOUT,
                adaptive.maxLimit(),
                1);
    }

    /** A rate rule, refused requests answered with 429. */
    public Rule(
            String name,
            PathPattern path,
            Set<String> methods,
            String key,
            LimitSpec limit,
            int priority,
            boolean shadow,
            boolean enabled) {
        this(
                name,
                path,
                methods,
                key,
                limit,
                priority,
                shadow,
                enabled,
                Kind.RATE,
                DEFAULT_STATUS,
                Optional.empty(),
                OnExceed.REFUSE);
    }

    /** This rule doing {@code onExceed} with a request over its rate. */
    public Rule withOnExceed(OnExceed onExceed) {
        return new Rule(
                name,
                path,
                methods,
                key,
                limit,
                priority,
                shadow,
                enabled,
                kind,
                status,
                adaptive,
                onExceed,
                quotaPeriod,
                costHeader);
    }

    /** Whether the rule holds slots while a request is in flight, to be given back when its response ends. */
    public boolean holdsSlots() {
        return kind == Kind.CONCURRENCY || kind == Kind.ADAPTIVE;
    }

    /** Whether the rule counts over calendar periods. */
    public boolean isQuota() {
        return kind == Kind.QUOTA;
    }

    /** Whether the rule covers a request with this method and path. */
    public boolean covers(String method, String path) {
        return enabled && (methods.isEmpty() || methods.contains(method)) && this.path.matches(path);
    }

    /**
     * Reads a rule from configuration: {@code json} is the rule alone, so problems name the field
     * ({@code limit: ...}).
     *
     * @throws SettingsException naming the field ({@code limit}, {@code window}, …) and the problem
     */
    public static Rule fromJson(JsonObject json) {
        return from(Settings.of(json));
    }

    /**
     * Reads a rule from its section of the configuration; problems name the full key
     * ({@code rules[2].window: ...}).
     *
     * @throws SettingsException naming the key and the problem
     */
    public static Rule from(Settings rule) {
        rule.requireOnly("rule", FIELDS);
        String name = rule.text("name").orElseThrow(() -> rule.problem("name", "every rule needs a name"));
        PathPattern path;
        try {
            path = PathPattern.parse(rule.text("path", "/*"), rule.bool("ignoreCase", false));
        } catch (IllegalArgumentException e) {
            throw rule.problem("path", e.getMessage());
        }
        Kind kind = kind(rule);
        if (kind == Kind.ADAPTIVE) {
            return adaptive(rule, name, path);
        }
        long limit = rule.whole("limit").orElseThrow(() -> rule.problem("limit", "missing; every rule needs a limit"));
        for (String field : AdaptiveOptions.COMMON_FIELDS) {
            rejectAdaptiveField(rule, field);
        }
        for (String field : AdaptiveOptions.AIMD_FIELDS) {
            rejectAdaptiveField(rule, field);
        }
        for (String field : AdaptiveOptions.GRADIENT_FIELDS) {
            rejectAdaptiveField(rule, field);
        }
        long cost = rule.whole("cost").orElse(1L);
        LimitSpec spec;
        int status = DEFAULT_STATUS;
        OnExceed onExceed = OnExceed.REFUSE;
        Optional<QuotaPeriod> quotaPeriod = Optional.empty();
        Optional<String> costHeader = Optional.empty();
        if (kind != Kind.QUOTA) {
            for (String field : QUOTA_ONLY) {
                if (rule.has(field)) {
                    throw rule.problem(field, field + " applies to quota rules only (kind: quota)");
                }
            }
        }
        if (kind == Kind.QUOTA) {
            for (String field : RATE_ONLY) {
                if (rule.has(field)) {
                    throw rule.problem(
                            field,
                            "a quota rule counts over calendar periods and takes no " + field
                                    + "; remove it (limit is the allowance of one period, period the period: day,"
                                    + " week, month, year or a number of days such as 30d)");
                }
            }
            for (String field : CONCURRENCY_ONLY) {
                if (rule.has(field)) {
                    throw rule.problem(field, field + " applies to concurrency rules only (kind: concurrency)");
                }
            }
            ZoneId zone;
            try {
                zone = rule.text("zone").map(QuotaPeriod::zone).orElse(ZoneOffset.UTC);
                quotaPeriod = Optional.of(QuotaPeriod.parse(
                        rule.text("period")
                                .orElseThrow(() -> new SettingsException(
                                        "period",
                                        "missing; a quota rule needs a period: day, week, month, year or a number of"
                                                + " days such as 30d")),
                        zone));
            } catch (SettingsException e) {
                throw e.under(rule.prefix());
            }
            costHeader = rule.text("costHeader");
            if (costHeader.isPresent() && !HEADER_NAME.matcher(costHeader.get()).matches()) {
                throw rule.problem(
                        "costHeader",
                        "expected a header name such as X-Cost, of at most " + MAX_HEADER_NAME + " characters");
            }
            try {
                spec = QuotaLimiter.spec(limit, quotaPeriod.get(), cost);
            } catch (SettingsException e) {
                throw (e.key().equals("cost")
                                ? new SettingsException("cost", e.problem().replace("burst", "limit"))
                                : e)
                        .under(rule.prefix());
            }
        } else if (kind == Kind.CONCURRENCY) {
            for (String field : RATE_ONLY) {
                if (rule.has(field)) {
                    throw rule.problem(
                            field,
                            "a concurrency rule counts requests in flight, not over time, and takes no " + field
                                    + "; remove it (limit is the most in flight at once, cost the slots a request"
                                    + " holds, slotTimeout when a shared backend takes back a dead node's slot)");
                }
            }
            Duration slotTimeout = rule.duration("slotTimeout").orElse(ConcurrencyLimiter.DEFAULT_SLOT_TIMEOUT);
            long answer = rule.whole("status").orElse((long) DEFAULT_STATUS);
            if (answer != DEFAULT_STATUS && answer != 503) {
                throw rule.problem("status", "a refusal is answered with 429 or 503, got " + answer);
            }
            status = (int) answer;
            try {
                spec = new LimitSpec(ConcurrencyLimiter.ALGORITHM, limit, slotTimeout, limit, cost);
            } catch (SettingsException e) {
                // the slot timeout is the limit's window, and the limit its burst
                SettingsException named = switch (e.key()) {
                    case "window" ->
                        new SettingsException("slotTimeout", e.problem().replace("window", "slotTimeout"));
                    case "cost" -> new SettingsException("cost", e.problem().replace("burst", "limit"));
                    default -> e;
                };
                throw named.under(rule.prefix());
            }
        } else {
            for (String field : CONCURRENCY_ONLY) {
                if (rule.has(field)) {
                    throw rule.problem(field, field + " applies to concurrency rules only (kind: concurrency)");
                }
            }
            String algorithm = rule.text("algorithm", DEFAULT_ALGORITHM);
            if (algorithm.equals(ConcurrencyLimiter.ALGORITHM) || algorithm.equals(ADAPTIVE_ALGORITHM)) {
                throw rule.problem(
                        "algorithm", "limits on requests in flight are a kind of rule: write kind: concurrency");
            }
            if (algorithm.equals(QuotaLimiter.ALGORITHM)) {
                throw rule.problem("algorithm", "quotas over calendar periods are a kind of rule: write kind: quota");
            }
            for (AdaptiveOptions.Algorithm adaptive : AdaptiveOptions.Algorithm.values()) {
                if (algorithm.equals(adaptive.id())) {
                    throw rule.problem(
                            "algorithm",
                            algorithm + " moves a limit on requests in flight, for rules of kind adaptive: write"
                                    + " kind: adaptive");
                }
            }
            Duration window = window(rule);
            long burst = rule.whole("burst").orElse(limit);
            try {
                spec = new LimitSpec(algorithm, limit, window, burst, cost);
            } catch (SettingsException e) {
                // the limit's own checks name its field: burst, cost, ...
                throw e.under(rule.prefix());
            }
            onExceed = onExceed(rule);
        }
        return new Rule(
                name,
                path,
                methods(rule),
                rule.text("key", "ip"),
                spec,
                (int) rule.whole("priority", 0, Integer.MIN_VALUE, Integer.MAX_VALUE),
                rule.bool("shadow", false),
                rule.bool("enabled", true),
                kind,
                status,
                Optional.empty(),
                onExceed,
                quotaPeriod,
                costHeader);
    }

    /**
     * The rule as configuration, readable by {@link #fromJson}. A rate rule is written without its kind, as rules
     * were before there were kinds; a concurrency rule with its kind, slot timeout and status, and without the
     * fields it does not take; an adaptive rule with its kind, status and {@link AdaptiveOptions}, without limit; a
     * quota rule with its kind, period, zone and cost header.
     */
    public JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("name", name)
                .put("path", path.toString())
                .put("ignoreCase", path.ignoreCase())
                .put("methods", new JsonArray(new ArrayList<>(methods)))
                .put("key", key);
        if (kind == Kind.QUOTA) {
            QuotaPeriod period = quotaPeriod.orElseThrow();
            json.put("kind", kind.id())
                    .put("limit", limit.limit())
                    .put("cost", limit.cost())
                    .put("period", period.id())
                    .put("zone", period.zoneName());
            costHeader.ifPresent(header -> json.put("costHeader", header));
        } else if (kind == Kind.ADAPTIVE) {
            json.put("kind", kind.id()).put("status", status);
            adaptive.orElseThrow().writeTo(json);
        } else if (kind == Kind.CONCURRENCY) {
            json.put("kind", kind.id())
                    .put("limit", limit.limit())
                    .put("cost", limit.cost())
                    .put("slotTimeout", Durations.format(limit.window()))
                    .put("status", status);
        } else {
            json.put("algorithm", limit.algorithm())
                    .put("limit", limit.limit())
                    .put("window", Durations.format(limit.window()))
                    .put("burst", limit.burst())
                    .put("cost", limit.cost());
            if (onExceed.delays()) {
                json.put("onExceed", onExceed.id())
                        .put("maxDelay", Durations.format(onExceed.maxDelay()))
                        .put("maxQueued", onExceed.maxQueued());
            }
        }
        return json.put("priority", priority).put("shadow", shadow).put("enabled", enabled);
    }

    private static void rejectAdaptiveField(Settings rule, String field) {
        if (rule.has(field)) {
            throw rule.problem(field, field + " applies to adaptive rules only (kind: adaptive)");
        }
    }

    private static Rule adaptive(Settings rule, String name, PathPattern path) {
        for (String field : ADAPTIVE_REFUSED) {
            if (rule.has(field)) {
                String why = field.equals("limit")
                        ? "an adaptive rule's limit moves on its own between minLimit and maxLimit; write those"
                                + " (and initialLimit) instead of limit"
                        : "an adaptive rule counts requests in flight on this node, one slot each, and takes no "
                                + field + "; remove it";
                throw rule.problem(field, why);
            }
        }
        AdaptiveOptions adaptive = AdaptiveOptions.from(rule);
        long answer = rule.whole("status").orElse((long) ADAPTIVE_STATUS);
        if (answer != DEFAULT_STATUS && answer != 503) {
            throw rule.problem(
                    "status", "a refusal is answered with 503 (the default of an adaptive rule) or 429, got " + answer);
        }
        return new Rule(
                name,
                path,
                methods(rule),
                rule.text("key", "global"),
                adaptiveSpec(adaptive),
                (int) rule.whole("priority", 0, Integer.MIN_VALUE, Integer.MAX_VALUE),
                rule.bool("shadow", false),
                rule.bool("enabled", true),
                Kind.ADAPTIVE,
                (int) answer,
                Optional.of(adaptive),
                OnExceed.REFUSE);
    }

    /** {@code onExceed} with {@code maxDelay} and {@code maxQueued}: what a rate rule does over its rate. */
    private static OnExceed onExceed(Settings rule) {
        String onExceed = rule.text("onExceed", "refuse");
        switch (onExceed) {
            case "refuse" -> {
                for (String field : DELAY_ONLY) {
                    if (rule.has(field)) {
                        throw rule.problem(
                                field,
                                field + " applies to a rule that delays requests over its rate: add onExceed: delay,"
                                        + " or remove " + field);
                    }
                }
                return OnExceed.REFUSE;
            }
            case "delay" -> {
                Duration maxDelay = rule.duration("maxDelay")
                        .orElseThrow(() -> rule.problem(
                                "maxDelay",
                                "missing; onExceed: delay needs the longest a request may wait, such as 500ms (at most "
                                        + Durations.format(OnExceed.MAX_DELAY) + ")"));
                if (maxDelay.compareTo(OnExceed.MAX_DELAY) > 0) {
                    throw rule.problem(
                            "maxDelay",
                            "at most " + Durations.format(OnExceed.MAX_DELAY) + ", got " + Durations.format(maxDelay)
                                    + "; a request due later is better refused with its Retry-After");
                }
                int maxQueued = (int) rule.whole("maxQueued", OnExceed.DEFAULT_MAX_QUEUED, 1, OnExceed.MAX_QUEUED);
                return OnExceed.delay(maxDelay, maxQueued);
            }
            default ->
                throw rule.problem(
                        "onExceed",
                        "unknown '" + onExceed + "'; refuse (answer 429 at once, the default) or delay (wait until"
                                + " the request's permits are due, at most maxDelay)");
        }
    }

    private static Kind kind(Settings rule) {
        String kind = rule.text("kind", Kind.RATE.id());
        for (Kind known : Kind.values()) {
            if (known.id().equals(kind)) {
                return known;
            }
        }
        throw rule.problem("kind", "unknown kind '" + kind + "'; known: rate, concurrency, adaptive, quota");
    }

    private static Set<String> methods(Settings rule) {
        Object value = rule.value("methods");
        List<Object> items = new ArrayList<>();
        if (value instanceof JsonArray array) {
            array.forEach(items::add);
        } else if (value instanceof String text) {
            String[] parts = text.split(",", -1);
            int end = parts.length;
            // where there is a comma, trailing empty parts are dropped as before: "GET," is [GET], "," is []
            while (parts.length > 1 && end > 0 && parts[end - 1].isEmpty()) {
                end--;
            }
            items.addAll(Arrays.asList(parts).subList(0, end));
        } else if (value != null) {
            throw rule.problem("methods", "expected a list of HTTP methods such as [GET, POST], got " + value);
        }
        Set<String> methods = new LinkedHashSet<>();
        for (Object item : items) {
            if (!(item instanceof String method) || !method.trim().matches("[A-Za-z]{1,10}")) {
                throw rule.problem("methods", "'" + item + "' is not an HTTP method");
            }
            methods.add(method.trim().toUpperCase(Locale.ROOT));
        }
        return methods;
    }

    /** The window: a duration, or a whole number of seconds as rules have always allowed. */
    private static Duration window(Settings rule) {
        Object value = rule.value("window");
        if (value == null) {
            throw rule.problem("window", "missing; every rule needs a window such as 1m");
        }
        if (value instanceof Number number && number.longValue() > 0 && number.doubleValue() == number.longValue()) {
            return Duration.ofSeconds(number.longValue());
        }
        return rule.duration("window")
                .orElseThrow(() -> rule.problem("window", "missing; every rule needs a window such as 1m"));
    }
}
