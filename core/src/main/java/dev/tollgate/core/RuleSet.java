package dev.tollgate.core;

import dev.tollgate.core.spi.KeyResolver;
import dev.tollgate.limiter.ConcurrencyLimiter;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterException;
import dev.tollgate.limiter.QuotaLimiter;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.plugin.SettingsException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The rules in force with their key resolvers and limiters, highest priority first. A set never changes: a rule
 * update {@link #compile compiles} the new rules against the set in force, puts the new set in its place, and then
 * {@link #closeReplaced closes} the limiters it no longer holds. A request reads one set from start to end.
 *
 * @param compiled the rules, highest priority first
 */
record RuleSet(List<CompiledRule> compiled) {

    static final RuleSet EMPTY = new RuleSet(List.of());

    /** The rules that cover a request, highest priority first. */
    List<CompiledRule> matching(String method, String path) {
        List<CompiledRule> matching = new ArrayList<>(2);
        for (CompiledRule rule : compiled) {
            if (rule.rule().covers(method, path)) {
                matching.add(rule);
            }
        }
        return matching;
    }

    Optional<CompiledRule> named(String name) {
        return compiled.stream().filter(c -> c.rule().name().equals(name)).findFirst();
    }

    List<Rule> rules() {
        return compiled.stream().map(CompiledRule::rule).toList();
    }

    List<String> names() {
        return compiled.stream().map(c -> c.rule().name()).toList();
    }

    /**
     * {@code rules} compiled against this set: a rule of a name this set holds, with the same limit and key, keeps that
     * rule's limiter and so its counts; any other gets a limiter from {@code newLimiter}, which throws a
     * {@link SettingsException} keyed by the limit's field ({@link LimitSpec#FIELDS}) for a limit it refuses, an
     * algorithm the backend lacks included, or keyed in full for a backend setting it cannot use. A
     * {@link LimiterException} is taken as the algorithm's fault and an {@link IllegalArgumentException} as the
     * limit's. This set stays as it is, its limiters open.
     *
     * @throws SettingsException naming the rule ({@code rules[i]}) and the field at fault; the limiters created for the
     *     rules before it are closed again
     */
    RuleSet compile(List<Rule> rules, KeyKinds keyKinds, Function<Rule, RateLimiter> newLimiter) {
        Set<String> names = new HashSet<>();
        List<CompiledRule> compiled = new ArrayList<>();
        List<CompiledRule> created = new ArrayList<>();
        try {
            for (int i = 0; i < rules.size(); i++) {
                Rule rule = rules.get(i);
                String at = "rules[" + i + "]";
                if (!names.add(rule.name())) {
                    throw new SettingsException(
                            at + ".name", "a second rule named '" + rule.name() + "'; rule names must be unique");
                }
                KeyResolver resolver;
                try {
                    resolver = keyKinds.resolver(rule.key());
                } catch (SettingsException e) {
                    throw e.under(at + ".key");
                }
                Optional<CompiledRule> same = named(rule.name())
                        .filter(old -> old.rule().limit().equals(rule.limit())
                                && old.rule().key().equals(rule.key())
                                && old.rule().adaptive().equals(rule.adaptive())
                                && old.rule().quotaPeriod().equals(rule.quotaPeriod()));
                if (same.isPresent()) {
                    CompiledRule old = same.get();
                    checkDelays(rule, old.limiter(), at);
                    // the requests waiting in the old queue give their places back to it when their waits end
                    WaitQueue queue = old.rule().onExceed().equals(rule.onExceed()) ? old.queue() : queue(rule);
                    compiled.add(new CompiledRule(rule, resolver, old.limiter(), queue, old.slotsHeld()));
                    continue;
                }
                RateLimiter limiter;
                try {
                    limiter = newLimiter.apply(rule);
                } catch (SettingsException e) {
                    // a field of the limit is the rule's; a backend setting is named in full already
                    throw LimitSpec.FIELDS.contains(e.key()) ? e.under(at) : e;
                } catch (LimiterException e) {
                    throw new SettingsException(at + ".algorithm", e.getMessage());
                } catch (IllegalArgumentException e) {
                    // a provider written before the convention, refusing the limit without naming the field
                    throw new SettingsException(at + ".limit", e.getMessage());
                }
                if (rule.isQuota() && !(limiter instanceof QuotaLimiter)) {
                    limiter.close();
                    throw new SettingsException(
                            at + ".kind",
                            "the backend's " + rule.limit().algorithm() + " provider made " + limiter
                                    + ", which counts over no calendar period (it is no QuotaLimiter)");
                }
                if (rule.holdsSlots() && !(limiter instanceof ConcurrencyLimiter)) {
                    limiter.close();
                    throw new SettingsException(
                            at + ".kind",
                            "the backend's " + rule.limit().algorithm() + " provider made " + limiter
                                    + ", which cannot give slots back (it is no ConcurrencyLimiter)");
                }
                try {
                    checkDelays(rule, limiter, at);
                } catch (SettingsException e) {
                    limiter.close();
                    throw e;
                }
                CompiledRule fresh = new CompiledRule(rule, resolver, limiter, queue(rule), new AtomicLong());
                created.add(fresh);
                compiled.add(fresh);
            }
        } catch (SettingsException e) {
            created.forEach(c -> c.limiter().close());
            throw e;
        }
        compiled.sort(
                Comparator.comparingInt((CompiledRule c) -> c.rule().priority()).reversed());
        return new RuleSet(List.copyOf(compiled));
    }

    private static WaitQueue queue(Rule rule) {
        return rule.onExceed().delays() ? new WaitQueue(rule.onExceed().maxQueued()) : WaitQueue.NONE;
    }

    /** A rule that delays requests needs a limiter that can say when a permit falls due. */
    private static void checkDelays(Rule rule, RateLimiter limiter, String at) {
        if (rule.onExceed().delays() && !limiter.reserves()) {
            throw new SettingsException(
                    at + ".onExceed",
                    "onExceed: delay needs an algorithm that knows when a permit falls due: token-bucket, leaky-bucket"
                            + " or gcra (on redis in the exact mode, not limiter.redis.mode: leased); " + limiter
                            + " cannot take permits ahead of time. Use one of those, or onExceed: refuse");
        }
    }

    /** Closes the limiters of this set that {@code next} does not hold: those of rules removed or changed. */
    void closeReplaced(RuleSet next) {
        for (CompiledRule old : compiled) {
            if (next.compiled().stream().noneMatch(c -> c.limiter() == old.limiter())) {
                old.limiter().close();
            }
        }
    }
}
