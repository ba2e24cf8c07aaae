package dev.tollgate.core;

import dev.tollgate.core.spi.KeyResolver;
import dev.tollgate.limiter.ConcurrencyLimiter;
import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.QuotaLimiter;
import dev.tollgate.limiter.QuotaPeriod;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Decides requests and bus checks against the rules in force and the allow and deny lists. The rules are replaced
 * whole ({@link #replaceRules}): a request reads one {@link RuleSet} from start to end, so it sees the old rules or the
 * new ones, never some of each. Any thread may check, also while rules are replaced; replacements must not overlap,
 * as each compiles against the set in force when it starts.
 */
final class Gatekeeper {

    private final KeyKinds keyKinds;
    private final Function<Rule, RateLimiter> newLimiter;
    private final KeyResolver ipKey;
    private final AccessList allow;
    private final AccessList deny;
    private final LimiterHealth limiterHealth;
    private final VerdictAssembler verdicts;
    private volatile RuleSet rules = RuleSet.EMPTY;

    /**
     * @param newLimiter the limiter for a new or changed rule, as {@link RuleSet#compile} takes it
     * @param limiterHealth hears of every decision a limiter makes or fails to make
     */
    Gatekeeper(
            KeyKinds keyKinds,
            Function<Rule, RateLimiter> newLimiter,
            AccessList allow,
            AccessList deny,
            LimiterHealth limiterHealth,
            VerdictAssembler verdicts) {
        this.keyKinds = keyKinds;
        this.newLimiter = newLimiter;
        this.ipKey = keyKinds.resolver("ip");
        this.allow = allow;
        this.deny = deny;
        this.limiterHealth = limiterHealth;
        this.verdicts = verdicts;
    }

    /** The rules in force with their limiters. */
    RuleSet rules() {
        return rules;
    }

    /** The state of {@code key} under the rule named {@code ruleName}, as {@link Tollgate#peekKey} says. */
    Future<RuleResult> peekKey(String ruleName, String key) {
        RuleSet set = rules;
        Optional<CompiledRule> rule = set.named(ruleName);
        if (rule.isEmpty()) {
            return Future.failedFuture(new UnknownRuleException(
                    "unknown rule '" + ruleName + "'; known: " + String.join(", ", new TreeSet<>(set.names()))));
        }
        CompiledRule compiled = rule.get();
        return compiled.limiter().peek(key).map(d -> new RuleResult(compiled.rule(), key, Optional.of(d)));
    }

    /**
     * The use {@code key} made of every quota rule in force, in the rules' order (highest priority first): what
     * {@link Tollgate#quotaUsage} says.
     */
    Future<List<QuotaUsage>> quotaUsage(String key, long nowNanos) {
        List<Future<QuotaUsage>> usage = new ArrayList<>();
        for (CompiledRule compiled : rules.compiled()) {
            if (compiled.rule().isQuota() && compiled.limiter() instanceof QuotaLimiter quota) {
                QuotaPeriod.Bounds bounds = quota.period().bounds(nowNanos);
                usage.add(quota.peek(key).map(d -> new QuotaUsage(compiled.rule(), key, d, bounds)));
            }
        }
        return Future.all(usage).map(all -> all.<QuotaUsage>list());
    }

    /**
     * Puts {@code newRules} in force, then closes the limiters of the rules they replace; unchanged rules keep their
     * limiters and counts.
     *
     * @throws SettingsException naming the rule and field at fault; the rules in force then stay
     */
    void replaceRules(List<Rule> newRules) {
        RuleSet previous = rules;
        RuleSet next = previous.compile(newRules, keyKinds, newLimiter);
        rules = next;
        previous.closeReplaced(next);
    }

    /**
     * Checks that {@code rule} could be put in force, as {@link #replaceRules} would: its key kind is known and the
     * backend gives it a limiter (made and closed again). Changes nothing.
     *
     * @throws SettingsException keyed by the rule's field ({@code limit}, {@code key}, ...) or, for a backend
     *     setting, in full
     */
    void checkRule(Rule rule) {
        RuleSet trial;
        try {
            trial = RuleSet.EMPTY.compile(List.of(rule), keyKinds, newLimiter);
        } catch (SettingsException e) {
            String prefix = "rules[0].";
            throw e.key().startsWith(prefix)
                    ? new SettingsException(e.key().substring(prefix.length()), e.problem())
                    : e;
        }
        trial.closeReplaced(RuleSet.EMPTY);
    }

    /** Decides a request, as {@link Tollgate#check} says. */
    Future<Verdict> check(RequestInfo request) {
        List<CompiledRule> matching = rules.matching(request.method(), request.path());
        List<String> keys = new ArrayList<>(matching.size());
        for (CompiledRule rule : matching) {
            keys.add(rule.keyFor(request, ipKey));
        }
        if (deny.matches(request.clientIp(), keys)) {
            String key = keys.isEmpty() ? ipKey.resolve(request).orElse("ip:") : keys.get(0);
            return Future.succeededFuture(verdicts.denied(request, key));
        }
        if (matching.isEmpty() || allow.matches(request.clientIp(), keys)) {
            return Future.succeededFuture(Verdict.unchecked());
        }
        long[] permits = new long[matching.size()];
        try {
            for (int i = 0; i < permits.length; i++) {
                permits[i] = matching.get(i).permitsFor(request);
            }
        } catch (RequestCostException e) {
            return Future.failedFuture(e);
        }
        if (matching.size() == 1) {
            Future<RuleResult> decided = matching.get(0).decide(keys.get(0), permits[0], limiterHealth);
            // a local limiter has answered already: no need for a continuation
            return decided.succeeded()
                    ? Future.succeededFuture(holding(verdicts.verdict(request, List.of(decided.result())), matching))
                    : decided.map(result -> holding(verdicts.verdict(request, List.of(result)), matching));
        }
        List<Future<RuleResult>> pending = new ArrayList<>(matching.size());
        for (int i = 0; i < matching.size(); i++) {
            pending.add(matching.get(i).decide(keys.get(i), permits[i], limiterHealth));
        }
        return Future.all(pending).map(all -> holding(verdicts.verdict(request, all.list()), matching));
    }

    /**
     * {@code verdict} holding the slots its concurrency rules took, when it passes; when it is refused, those slots
     * are given back at once, since the request will not be in flight.
     */
    private static Verdict holding(Verdict verdict, List<CompiledRule> matching) {
        return holdingSlots(waiting(verdict, matching), matching);
    }

    /**
     * {@code verdict} making the request wait for the permits its delaying rules reserved with a delay, when it
     * passes; when it is refused, those reservations are cancelled at once (their permits given back, their queue
     * places freed), since the request will not wait.
     */
    private static Verdict waiting(Verdict verdict, List<CompiledRule> matching) {
        Wait.Builder places = null;
        List<RuleResult> results = verdict.results();
        for (int i = 0; i < results.size(); i++) {
            RuleResult result = results.get(i);
            CompiledRule rule = matching.get(i);
            if (rule.holdsPlace(result)) {
                if (places == null) {
                    places = Wait.builder();
                }
                places.add(
                        rule.queue(),
                        rule.limiter(),
                        result.key(),
                        result.rule().limit().cost(),
                        result.decision().orElseThrow().delayNanos());
            }
        }
        if (places == null) {
            return verdict;
        }
        Wait wait = places.build();
        if (!verdict.outcome().passes()) {
            wait.cancel();
            return verdict;
        }
        return verdict.withWait(wait);
    }

    private static Verdict holdingSlots(Verdict verdict, List<CompiledRule> matching) {
        HeldSlots.Builder taken = null;
        List<RuleResult> results = verdict.results();
        for (int i = 0; i < results.size(); i++) {
            RuleResult result = results.get(i);
            if (result.rule().holdsSlots()
                    && result.decision().map(Decision::allowed).orElse(false)
                    && matching.get(i).limiter() instanceof ConcurrencyLimiter limiter) {
                if (taken == null) {
                    taken = HeldSlots.builder();
                }
                taken.add(
                        limiter,
                        result.key(),
                        result.rule().limit().cost(),
                        matching.get(i).slotsHeld());
            }
        }
        if (taken == null) {
            return verdict;
        }
        HeldSlots slots = taken.build();
        if (!verdict.outcome().passes()) {
            slots.releaseUnsampled();
            return verdict;
        }
        return verdict.withSlots(slots);
    }

    /** Takes {@code permits} from {@code key} under the rule named {@code ruleName}, as {@link Tollgate#checkKey} says. */
    Future<RuleResult> checkKey(String ruleName, String key, long permits) {
        RuleSet set = rules;
        return named(set, ruleName).compose(compiled -> acquire(compiled, key, permits));
    }

    /**
     * Takes {@code permits} under the rule named {@code ruleName} from the key its resolver picks for {@code request},
     * as {@link Tollgate#checkRequest} says.
     */
    Future<RuleResult> checkRequest(String ruleName, RequestInfo request, long permits) {
        RuleSet set = rules;
        return named(set, ruleName).compose(compiled -> acquire(compiled, compiled.keyFor(request, ipKey), permits));
    }

    private static Future<CompiledRule> named(RuleSet set, String ruleName) {
        Optional<CompiledRule> rule = set.named(ruleName);
        if (rule.isEmpty()) {
            return Future.failedFuture(new UnknownRuleException(
                    "unknown rule '" + ruleName + "'; known: " + String.join(", ", new TreeSet<>(set.names()))));
        }
        return Future.succeededFuture(rule.get());
    }

    /** Takes {@code permits} from {@code key}; a limiter that throws or fails gives a failed future, heard by the health. */
    private Future<RuleResult> acquire(CompiledRule compiled, String key, long permits) {
        if (compiled.rule().holdsSlots()) {
            // a slot taken here would have no response to end it
            return Future.failedFuture(new IllegalArgumentException("the rule '"
                    + compiled.rule().name()
                    + (compiled.rule().kind() == Rule.Kind.ADAPTIVE ? "' is an " : "' is a ")
                    + compiled.rule().kind().id() + " rule: its slots are held by requests and given"
                    + " back when their response ends; use the HTTP handler"));
        }
        Future<dev.tollgate.limiter.Decision> decision;
        try {
            decision = compiled.limiter().acquire(key, permits);
        } catch (RuntimeException e) {
            decision = Future.failedFuture(e);
        }
        return decision.map(d -> {
                    limiterHealth.answered();
                    return new RuleResult(compiled.rule(), key, Optional.of(d));
                })
                .onFailure(failure -> {
                    if (!(failure instanceof IllegalArgumentException)) {
                        limiterHealth.failed(compiled.rule().name(), failure);
                    }
                });
    }
}
