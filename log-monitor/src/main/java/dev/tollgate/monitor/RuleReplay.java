package dev.tollgate.monitor;

import dev.tollgate.core.IpAddress;
import dev.tollgate.core.Printable;
import dev.tollgate.core.RequestInfo;
import dev.tollgate.core.RequestPath;
import dev.tollgate.core.RuleResult;
import dev.tollgate.core.Tollgate;
import dev.tollgate.core.Verdict;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.limiter.ManualClock;
import io.vertx.core.Future;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Replays an access log through rate-limit rules: every request, in input order, is checked by a
 * {@link Tollgate} whose limiter clock is the log's time, its event is recorded to the store, and
 * each rule counts whom it would have blocked. Shadow rules count like the others: the replay asks
 * what every rule would have done.
 *
 * <p>Register it both as a {@link RecordListener} and a {@link MonitorListener}; it runs on the
 * monitor's thread and waits for the store there, never on an event loop.
 */
public final class RuleReplay implements RecordListener, MonitorListener {

    private static final int BATCH = 1_000;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Tollgate tollgate;
    private final ManualClock clock;
    private final Optional<EventStore> store;
    private final Map<String, RuleTally> tallies = new LinkedHashMap<>();
    private List<RateLimitEvent> batch = new ArrayList<>(BATCH);
    private long requests;
    private long recorded;

    /**
     * @param tollgate the rules, built on {@code clock}, publishing no events of its own
     * @param clock    the limiters' clock, which the replay moves to each line's time
     * @param store    where the replayed decisions are recorded, if anywhere
     */
    public RuleReplay(Tollgate tollgate, ManualClock clock, Optional<EventStore> store) {
        this.tollgate = tollgate;
        this.clock = clock;
        this.store = store;
    }

    @Override
    public void onRecord(LogRecord record, boolean late) {
        long at = record.epochSecond() * NANOS_PER_SECOND;
        if (at > clock.epochNanos()) {
            clock.setEpochNanos(at);
        }
        requests++;
        // as the gateway reads the request: one spelling of the path and of the address
        Optional<String> path = RequestPath.normalize(record.path(), tollgate.keepsEncodedSlashes());
        if (path.isEmpty()) {
            // the gateway refuses such a path with 400 before any rule
            return;
        }
        Verdict verdict = await(
                tollgate.check(RequestInfo.of(record.method(), path.get(), IpAddress.canonicalOrSelf(record.host()))));
        // a log line says when a request came, not how long it took: it is taken as over at once, so a concurrency
        // rule's slots come back before the next line and only the rate rules can refuse in a replay
        verdict.release();
        // and a request a delaying rule made wait is taken as served once its permits were due: its place is freed
        // at once, and its permits stay taken
        verdict.waiting().end();
        for (RuleResult result : verdict.results()) {
            RuleTally tally = tallies.computeIfAbsent(result.rule().name(), RuleTally::new);
            tally.requests++;
            if (result.blocks()) {
                tally.blocked++;
                tally.blockedByKey.merge(result.key(), 1L, Long::sum);
            }
        }
        verdict.event().ifPresent(event -> {
            if (store.isPresent()) {
                batch.add(event);
                if (batch.size() >= BATCH) {
                    flush();
                }
            }
        });
    }

    @Override
    public void onFinish(MonitorSummary summary) {
        flush();
    }

    /** Requests replayed so far. */
    public long requests() {
        return requests;
    }

    /** Events written to the store so far. */
    public long recorded() {
        return recorded;
    }

    /** How many requests {@code rule} would have blocked for {@code key}. */
    public long blocked(String rule, String key) {
        RuleTally tally = tallies.get(rule);
        return tally == null ? 0 : tally.blockedByKey.getOrDefault(key, 0L);
    }

    /** How many requests {@code rule} checked and would have blocked: {@code [checked, blocked]}. */
    public long[] totals(String rule) {
        RuleTally tally = tallies.get(rule);
        return tally == null ? new long[] {0, 0} : new long[] {tally.requests, tally.blocked};
    }

    /**
     * Writes, per rule, how much it would have blocked and the {@code top} keys it would have blocked
     * most; keys, which come from the log, are escaped with {@link Printable#escape}.
     */
    public void report(PrintStream out, int top) {
        out.printf(
                "replay    %,d requests through %d rule(s)%s%n",
                requests,
                tollgate.rules().size(),
                store.isPresent() ? String.format(", %,d events recorded", recorded) : "");
        if (tallies.isEmpty()) {
            out.println("          no rule covered any request");
        }
        for (RuleTally tally : tallies.values()) {
            out.printf(
                    "  rule %s: %,d of %,d requests would be blocked%n",
                    Printable.escape(tally.rule), tally.blocked, tally.requests);
            tally.blockedByKey.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue()
                            .reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .limit(top)
                    .forEach(e -> out.printf("    %-40s %,10d%n", Printable.escape(e.getKey()), e.getValue()));
        }
    }

    private void flush() {
        if (store.isEmpty() || batch.isEmpty()) {
            return;
        }
        List<RateLimitEvent> full = batch;
        batch = new ArrayList<>(BATCH);
        await(store.get().append(full));
        recorded += full.size();
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MonitorException("interrupted while replaying");
        } catch (ExecutionException e) {
            throw new MonitorException("replay failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new MonitorException("replay failed: no answer from the limiter or the store in 60 s");
        }
    }

    private static final class RuleTally {
        final String rule;
        long requests;
        long blocked;
        final Map<String, Long> blockedByKey = new HashMap<>();

        RuleTally(String rule) {
            this.rule = rule;
        }
    }
}
