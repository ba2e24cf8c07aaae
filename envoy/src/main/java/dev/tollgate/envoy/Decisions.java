package dev.tollgate.envoy;

import dev.tollgate.core.Rule;
import dev.tollgate.core.RuleResult;
import dev.tollgate.core.Tollgate;
import dev.tollgate.envoy.RateLimitRequest.Descriptor;
import dev.tollgate.envoy.RateLimitResponse.Code;
import dev.tollgate.envoy.RateLimitResponse.CurrentLimit;
import dev.tollgate.envoy.RateLimitResponse.DescriptorStatus;
import dev.tollgate.envoy.RateLimitResponse.Header;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.RateLimiter;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Answers {@code ShouldRateLimit} as envoyproxy/ratelimit does, with Tollgate's limiters counting: each descriptor
 * finds its limit in the domain's tree (or takes the route's limit override), limits another limit {@code replaces}
 * are dropped, and each remaining descriptor takes its hits from its limiter. The request is {@code OVER_LIMIT} when an
 * enforced descriptor is over (a {@code shadow_mode} one only reports it), or when every {@code quota_mode} one is. A
 * descriptor without a limit, of an unknown domain, or {@code unlimited} is {@code OK}.
 *
 * <p>Each descriptor a limiter decided is one {@link RateLimitEvent}, method {@value #METHOD}, rule the descriptor's full
 * key, key its counter key, counted in {@code tollgate_decisions_total}. Keeps no state but the limiters of the limit
 * overrides, of which it makes at most {@link EnvoyOptions#maxLimitOverrides()}: any thread may use it.
 */
final class Decisions {

    /** The method of the events. */
    static final String METHOD = "ENVOY";

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** A limit override put to work, by the domain, requests per unit and unit the route asked for. */
    private record OverrideKey(String domain, long requestsPerUnit, RateLimitUnit unit) {}

    /** What one descriptor came to: its limit (none: OK), and the limiter's decision (none: it failed). */
    private record Applied(CompiledLimit compiled, String key, long hits) {}

    private final Tollgate tollgate;
    private final EnvoyOptions options;
    private final Supplier<LimitSet> limits;
    private final Map<OverrideKey, CompiledLimit> overrides = new ConcurrentHashMap<>();

    Decisions(Tollgate tollgate, EnvoyOptions options, Supplier<LimitSet> limits) {
        this.tollgate = tollgate;
        this.options = options;
        this.limits = limits;
    }

    /**
     * The answer to {@code request}; fails with {@link MalformedMessageException} for a request without a domain or
     * descriptors or with an override of an unknown unit, and with {@link LimiterUnavailableException} when a limiter
     * could not decide an enforced descriptor and {@code failOpen} is off.
     */
    Future<RateLimitResponse> decide(RateLimitRequest request) {
        if (request.domain().isEmpty()) {
            return Future.failedFuture(new MalformedMessageException("rate limit domain must not be empty"));
        }
        if (request.descriptors().isEmpty()) {
            return Future.failedFuture(new MalformedMessageException("rate limit descriptor list must not be empty"));
        }
        List<Applied> applied;
        boolean[] unlimited = new boolean[request.descriptors().size()];
        try {
            applied = limitsOf(request, unlimited);
        } catch (MalformedMessageException e) {
            return Future.failedFuture(e);
        }
        List<Future<Optional<Decision>>> pending = new ArrayList<>(applied.size());
        for (Applied a : applied) {
            pending.add(a == null ? Future.succeededFuture(Optional.empty()) : take(a));
        }
        return Future.all(pending).compose(all -> {
            List<Optional<Decision>> decisions = all.list();
            return answer(applied, unlimited, decisions);
        });
    }

    /** The limit each descriptor is held to, {@code null} for none; marks the unlimited ones in {@code unlimited}. */
    private List<Applied> limitsOf(RateLimitRequest request, boolean[] unlimited) {
        LimitSet set = limits.get();
        Optional<DescriptorNode> domain = set.config().domain(request.domain());
        List<Applied> applied = new ArrayList<>(request.descriptors().size());
        Set<String> replaced = new HashSet<>();
        for (int i = 0; i < request.descriptors().size(); i++) {
            Descriptor descriptor = request.descriptors().get(i);
            Applied found = null;
            if (domain.isPresent()) {
                if (descriptor.limit().isPresent()) {
                    RateLimitRequest.LimitOverride override = descriptor.limit().get();
                    found = new Applied(
                            override(request.domain(), override),
                            DescriptorNode.counterKey(request.domain(), descriptor.entries(), null),
                            request.hitsOf(i));
                } else {
                    Optional<DescriptorNode.Found> match =
                            DescriptorNode.find(request.domain(), domain.get(), descriptor.entries());
                    if (match.isPresent()) {
                        found = new Applied(
                                set.compiled(match.get().limit()), match.get().counterKey(), request.hitsOf(i));
                    }
                }
            }
            if (found != null) {
                replaced.addAll(found.compiled().limit().replaces());
                if (found.compiled().limit().unlimited()) {
                    unlimited[i] = true;
                    found = null;
                }
            }
            applied.add(found);
        }
        for (int i = 0; i < applied.size(); i++) {
            Applied a = applied.get(i);
            if (a != null
                    && !a.compiled().limit().name().isEmpty()
                    && replaced.contains(a.compiled().limit().name())) {
                applied.set(i, null);
            }
        }
        return applied;
    }

    private CompiledLimit override(String domain, RateLimitRequest.LimitOverride override) {
        RateLimitUnit unit = RateLimitUnit.ofNumber(override.unit())
                .orElseThrow(() ->
                        new MalformedMessageException("a limit override has the unknown unit " + override.unit()));
        long requestsPerUnit = Math.min(override.requestsPerUnit(), LimitSpec.MAX_PERMITS);
        OverrideKey key = new OverrideKey(domain, requestsPerUnit, unit);
        CompiledLimit compiled = overrides.get(key);
        if (compiled != null) {
            return compiled;
        }
        synchronized (overrides) {
            compiled = overrides.get(key);
            if (compiled == null) {
                if (overrides.size() >= options.maxLimitOverrides()) {
                    throw new MalformedMessageException("more than " + options.maxLimitOverrides()
                            + " distinct limit overrides; raise maxLimitOverrides or use the configuration's limits");
                }
                // as in envoyproxy/ratelimit, an override is never in shadow mode and has no name
                DescriptorLimit limit = new DescriptorLimit(
                        domain + ".limit_override",
                        "",
                        "",
                        requestsPerUnit,
                        Optional.of(unit),
                        false,
                        false,
                        false,
                        List.of(),
                        DescriptorLimit.DEFAULT_ALGORITHM,
                        0);
                Optional<RateLimiter> limiter = limit.counted()
                        ? Optional.of(tollgate.newLimiter(limit.ruleName(), limit.spec()))
                        : Optional.empty();
                compiled = CompiledLimit.of(limit, limiter);
                overrides.put(key, compiled);
            }
            return compiled;
        }
    }

    /**
     * Takes the descriptor's hits: 0 only looks (the limiter's peek), hits no window could ever hold are over the
     * limit without taking anything, and a limit of 0 is always over. Empty when the limiter failed.
     */
    private Future<Optional<Decision>> take(Applied applied) {
        Optional<RateLimiter> limiter = applied.compiled().limiter();
        if (limiter.isEmpty()) {
            return Future.succeededFuture(
                    Optional.of(nothingAllowed(applied.compiled().limit())));
        }
        RateLimiter counter = limiter.get();
        Future<Decision> decided;
        try {
            if (applied.hits() == 0) {
                decided = counter.peek(applied.key());
            } else if (applied.hits() < 0 || applied.hits() > LimitSpec.MAX_PERMITS) {
                decided = counter.peek(applied.key()).map(Decisions::refused);
            } else {
                decided = counter.acquire(applied.key(), applied.hits()).recover(failure -> {
                    // more hits than the key can ever hold: over the limit, as in envoyproxy/ratelimit
                    return failure instanceof IllegalArgumentException
                            ? counter.peek(applied.key()).map(Decisions::refused)
                            : Future.failedFuture(failure);
                });
            }
        } catch (RuntimeException e) {
            decided = Future.failedFuture(e);
        }
        return decided.map(Optional::of).otherwise(Optional.empty());
    }

    private static Decision refused(Decision peeked) {
        long retryAfter = Math.max(1, peeked.retryAfterNanos());
        return new Decision(
                false, peeked.limit(), peeked.remaining(), peeked.count(), peeked.resetEpochNanos(), retryAfter);
    }

    private Decision nothingAllowed(DescriptorLimit limit) {
        long now = tollgate.clock().epochNanos();
        long window = limit.unit().orElseThrow().window().toNanos();
        long reset = Math.floorDiv(now, window) * window + window;
        return new Decision(false, 0, 0, 0, reset, reset - now);
    }

    private Future<RateLimitResponse> answer(
            List<Applied> applied, boolean[] unlimited, List<Optional<Decision>> decisions) {
        int size = applied.size();
        long now = tollgate.clock().epochNanos();
        int overRateLimit = 0;
        int quotaDescriptors = 0;
        int overQuota = 0;
        Optional<String> unavailable = Optional.empty();
        for (int i = 0; i < size; i++) {
            Applied a = applied.get(i);
            if (a == null) {
                continue;
            }
            DescriptorLimit limit = a.compiled().limit();
            if (decisions.get(i).isEmpty()) {
                tollgate.metrics().decision(limit.ruleName(), "failed");
                if (!options.failOpen() && !limit.shadow()) {
                    unavailable = Optional.of(limit.ruleName());
                }
                continue;
            }
            boolean over = !decisions.get(i).get().allowed() && !limit.shadow();
            if (limit.quota()) {
                quotaDescriptors++;
                overQuota += over ? 1 : 0;
            } else if (over) {
                overRateLimit++;
            }
        }
        Code overall = overRateLimit > 0 || (quotaDescriptors > 0 && quotaDescriptors == overQuota)
                ? Code.OVER_LIMIT
                : Code.OK;
        publishEvents(applied, decisions, overall);
        if (unavailable.isPresent()) {
            return Future.failedFuture(
                    new LimiterUnavailableException("the limiter of " + unavailable.get() + " could not decide"));
        }
        List<DescriptorStatus> statuses = new ArrayList<>(size);
        int headline = -1;
        long headlineRemaining = RateLimitResponse.MAX_UINT32;
        long retryAfter = 0;
        for (int i = 0; i < size; i++) {
            Applied a = applied.get(i);
            if (unlimited[i]) {
                statuses.add(new DescriptorStatus(
                        Code.OK, Optional.empty(), RateLimitResponse.MAX_UINT32, Optional.empty()));
                continue;
            }
            if (a == null || decisions.get(i).isEmpty()) {
                statuses.add(new DescriptorStatus(Code.OK, Optional.empty(), 0, Optional.empty()));
                continue;
            }
            DescriptorLimit limit = a.compiled().limit();
            Decision decision = decisions.get(i).get();
            boolean over = !decision.allowed() && !limit.shadow();
            long remaining = Math.min(decision.remaining(), RateLimitResponse.MAX_UINT32);
            statuses.add(new DescriptorStatus(
                    over ? Code.OVER_LIMIT : Code.OK,
                    Optional.of(new CurrentLimit(
                            limit.name(), limit.requestsPerUnit(), limit.unit().orElseThrow())),
                    remaining,
                    Optional.of(Duration.ofNanos(Math.max(0, decision.resetEpochNanos() - now)))));
            // the headers tell of the descriptor closest to its limit, or of the last one over it, as ratelimit's do
            if (remaining < headlineRemaining) {
                headline = i;
                headlineRemaining = remaining;
            }
            if (over && !limit.quota()) {
                headline = i;
                headlineRemaining = 0;
                retryAfter = Math.max(retryAfter, decision.retryAfterSeconds());
            }
        }
        List<Header> headers = headline < 0
                ? List.of()
                : headers(
                        applied.get(headline).compiled().limit(),
                        decisions.get(headline).get(),
                        overall,
                        retryAfter,
                        now);
        return Future.succeededFuture(new RateLimitResponse(overall, statuses, headers, List.of()));
    }

    private List<Header> headers(DescriptorLimit limit, Decision decision, Code overall, long retryAfter, long now) {
        String limitValue = Long.toString(limit.requestsPerUnit());
        String remaining = Long.toString(Math.min(decision.remaining(), RateLimitResponse.MAX_UINT32));
        switch (options.headers()) {
            case TOLLGATE -> {
                List<Header> headers = new ArrayList<>(4);
                headers.add(new Header("X-RateLimit-Limit", limitValue));
                headers.add(new Header("X-RateLimit-Remaining", remaining));
                headers.add(new Header("X-RateLimit-Reset", Long.toString(decision.resetEpochSeconds())));
                if (overall == Code.OVER_LIMIT && retryAfter > 0) {
                    headers.add(new Header("Retry-After", Long.toString(retryAfter)));
                }
                return headers;
            }
            case RATELIMIT -> {
                long untilReset = Math.max(0, decision.resetEpochNanos() - now);
                long seconds = (untilReset + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
                return List.of(
                        new Header("RateLimit-Limit", limitValue),
                        new Header("RateLimit-Remaining", remaining),
                        new Header("RateLimit-Reset", Long.toString(seconds)));
            }
            default -> {
                return List.of();
            }
        }
    }

    /**
     * One event per descriptor a limiter decided: blocked when the descriptor is over and Envoy refuses the request,
     * shadow when it is over but the request is served (a {@code shadow_mode} descriptor, or a {@code quota_mode} one
     * while another quota is left).
     */
    private void publishEvents(List<Applied> applied, List<Optional<Decision>> decisions, Code overall) {
        for (int i = 0; i < applied.size(); i++) {
            Applied a = applied.get(i);
            if (a == null || decisions.get(i).isEmpty() || a.compiled().rule().isEmpty()) {
                continue;
            }
            CompiledLimit compiled = a.compiled();
            Rule rule = compiled.limit().quota() && overall == Code.OK
                    ? compiled.servedRule().orElseThrow()
                    : compiled.rule().orElseThrow();
            RateLimitEvent event = tollgate.eventFor(new RuleResult(rule, a.key(), decisions.get(i)), "", METHOD);
            tollgate.metrics()
                    .decision(
                            rule.name(), !event.allowed() ? "blocked" : event.shadow() ? "shadow_blocked" : "allowed");
            tollgate.publish(event);
        }
    }

    /** Closes the limiters of the limit overrides. */
    Future<Void> close() {
        List<Future<Void>> closing = new ArrayList<>();
        for (CompiledLimit compiled : overrides.values()) {
            compiled.limiter().ifPresent(l -> closing.add(l.close()));
        }
        overrides.clear();
        return Future.join(closing).mapEmpty();
    }
}
