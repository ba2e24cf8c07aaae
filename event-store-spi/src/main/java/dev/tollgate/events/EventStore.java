package dev.tollgate.events;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.IntFunction;

/**
 * The event log: appends {@link RateLimitEvent}s and answers the analytics over them.
 *
 * <p>The <em>window</em> of {@code days} is the events with {@code timestamp >= now − days × 24 h}:
 * inclusive at the millisecond, rolling with the clock, and open towards the future (an event stamped
 * after {@code now} by a node whose clock runs ahead is in every window).
 *
 * <p>Each report also answers over a {@link TimeRange}, the dashboard's ranges from 15 minutes to 30 days: its window
 * is the events with {@code timestamp >= now − length}, with the same semantics (inclusive at the millisecond, rolling,
 * open towards the future), and its answer holds the range ({@link TrafficSummary#range()}). The form over a range of
 * whole days answers the same counts as the form over those days. A store written before ranges answers them through
 * the defaults here, which fall back on the {@code days} forms for ranges of whole days and fail with
 * {@link EventStoreException} for the others.
 *
 * <p>Every event counts as exactly one of <em>allowed</em> ({@code allowed && !shadow}), <em>blocked</em>
 * ({@code !allowed}, an enforced block) or <em>shadow-blocked</em> ({@code allowed && shadow}: served, though a
 * shadow rule would have refused it); see {@link RateLimitEvent}. A served request is never blocked in any answer:
 * blocked counts, block rates, the offender ranking and the blocked paths of a drill-down count enforced blocks only,
 * and the would-be refusals of shadow rules are counted apart, as {@code shadowBlocked}, and ranked by
 * {@link #topShadowOffenders}.
 *
 * <p>Every implementation:
 * <ol>
 *   <li>answers every method at once with a {@link Future} and never blocks the calling thread; it is
 *       safe to call from any thread and from several event loops at the same time;</li>
 *   <li>reads {@code now} from the {@link java.time.Clock} it was opened with, once per call, truncated to
 *       the millisecond; it never reads the system time on its own;</li>
 *   <li>keeps an appended event exactly: what a query returns equals what was appended
 *       ({@link RateLimitEvent} has already truncated what is too long);</li>
 *   <li>makes all events of an {@link #append} visible to every query once its future succeeds, and loses
 *       none of the events appended concurrently;</li>
 *   <li>computes every answer over exactly the window, whatever it pre-aggregates: an event one
 *       millisecond outside the window never counts, one on its first millisecond always does;</li>
 *   <li>fails the future with {@link IllegalArgumentException}, naming the argument, before touching
 *       anything when {@code days < 1}, a {@code limit}, {@code buckets} or {@code batchSize} is below 1
 *       (or {@code buckets} above {@link TimeSeries#MAX_BUCKETS}), {@code recent < 0}, a {@code batchId} is
 *       empty or longer than {@value #MAX_BATCH_ID} characters, or an argument is null;</li>
 *   <li>fails it with {@link EventStoreException} when the store cannot answer (it is closed, its
 *       database is unreachable), promptly, never hanging;</li>
 *   <li>keeps alert marks ({@link #recordAlerted}) where it keeps its events, so that every process that
 *       opens the same store sees them, for as long as {@link #deleteOlderThan} leaves them: a mark older
 *       than its cut-off is forgotten with the events and not counted among them; a mark never depends
 *       on the clock otherwise;</li>
 *   <li>stores a batch of {@link #appendBatch} at most once per id, the id's record and the events together,
 *       all or nothing, also when calls with the same id run at the same time; it remembers an id at least
 *       while it keeps events of the batch, within a bound on the number of ids that it may set and then
 *       documents; {@link #deleteOlderThan} forgets the ids stored before its cut-off whose events it
 *       removed;</li>
 *   <li>keeps the dashboard's rules ({@link #saveRule}) and their audited changes where it keeps its events, so
 *       that every process that opens the same store sees them: a save or deletion checks the expected version,
 *       changes the rule and records its {@link RuleChange} in one atomic step, so that of concurrent calls
 *       expecting the same version exactly one succeeds and the others fail with {@link RuleConflictException};
 *       it keeps at most {@value #MAX_STORED_RULES} rules and at least the newest {@value #MAX_RULE_CHANGES}
 *       changes; {@link #deleteOlderThan} and the clock touch neither (a store that keeps no rules, such as a
 *       third party's written before them, fails these calls with {@link EventStoreException});</li>
 *   <li>fails a rule call with {@link IllegalArgumentException}, naming the argument, before touching anything
 *       when an argument is null, a {@code name}, {@code who} or {@code action} is blank, longer than its bound
 *       ({@value #MAX_RULE_NAME}, {@value #MAX_WHO}, {@value #MAX_ACTION} characters) or holds a control
 *       character, a {@code config} encodes to more than {@value #MAX_RULE_CONFIG_BYTES} bytes of UTF-8 or is no
 *       JSON, an {@code expectedVersion} is below 0 ({@link #saveRule}) or 1 ({@link #deleteRule}), or a
 *       {@code limit} of {@link #ruleChanges} is outside 1..{@value #MAX_RULE_CHANGES};</li>
 *   <li>passes the contract suite, {@code dev.tollgate.events.EventStoreContract} in the test-jar of
 *       this module.</li>
 * </ol>
 *
 * <p>Ties are broken so that every store answers identically: keys, rule names and paths ascending in
 * {@link String#compareTo} order; events of equal timestamp by the store's tiebreak (its append order).
 */
public interface EventStore {

    /** How many recent events {@link #offenderDetail(String, int)} lists. */
    int DEFAULT_RECENT = 50;
    /** How old events get before {@link #deleteOlderThan(int)} removes them. */
    int DEFAULT_RETENTION_DAYS = 30;
    /** How many events {@link #deleteOlderThan(int)} removes per batch. */
    int DEFAULT_BATCH_SIZE = 1000;
    /** The longest kind of alert mark ({@link #recordAlerted}), in characters. */
    int MAX_ALERT_KIND = 50;
    /** The longest batch id ({@link #appendBatch}), in characters. */
    int MAX_BATCH_ID = 100;
    /** The longest name of a dashboard rule ({@link #saveRule}), in characters. */
    int MAX_RULE_NAME = 100;
    /** The largest configuration of a dashboard rule ({@link #saveRule}): its encoded JSON, in bytes of UTF-8. */
    int MAX_RULE_CONFIG_BYTES = 16_384;
    /** The longest {@code who} of a rule change ({@link #saveRule}, {@link #deleteRule}), in characters. */
    int MAX_WHO = 100;
    /** The longest {@code action} of a rule change ({@link #saveRule}), in characters. */
    int MAX_ACTION = 20;
    /** The most dashboard rules a store keeps; creating one more fails. */
    int MAX_STORED_RULES = 1000;
    /**
     * The most rule changes {@link #ruleChanges} answers at once, and the fewest a store remembers: it keeps at
     * least the newest {@value} and may forget older ones.
     */
    int MAX_RULE_CHANGES = 10_000;
    /** The {@code action} of the change {@link #deleteRule} records. */
    String DELETE_ACTION = "delete";

    /** Stores {@code events}; all or nothing. An empty list succeeds and stores nothing. */
    Future<Void> append(List<RateLimitEvent> events);

    /**
     * Stores {@code events} unless a batch with the same {@code batchId} was stored before: for a caller that
     * may send a batch again, such as a spool replayed after a crash, which must not count its events twice.
     * Answers {@code true} when this call stored the events, {@code false} when the id was already known, and
     * then stores nothing, whatever the events are.
     *
     * <ul>
     *   <li>The id is recorded together with the events, all or nothing: when the future fails, neither is
     *       stored, and the batch can be sent again under the same id.</li>
     *   <li>Calls with the same id at the same time store the batch once; exactly one of them answers
     *       {@code true}.</li>
     *   <li>Once stored, the events count in every answer exactly as if {@link #append} had stored them.</li>
     *   <li>An empty batch records its id and stores no event.</li>
     *   <li>The id is remembered at least while the store keeps events of the batch, as far as the store's
     *       documented bound on remembered ids allows; {@link #deleteOlderThan} forgets the ids stored
     *       before its cut-off whose events it removed.</li>
     * </ul>
     *
     * @param batchId names the batch, 1 to {@value #MAX_BATCH_ID} characters, compared exactly: the caller
     *                makes it unique per batch (a UUID, a spool file's name and the batch's offset in it)
     * @param events  the batch, as {@link #append} takes it
     */
    Future<Boolean> appendBatch(String batchId, List<RateLimitEvent> events);

    /** The number of events, allowed, blocked and shadow-blocked, in the window of {@code days}, and the block rate. */
    Future<TrafficSummary> trafficSummary(int days);

    /**
     * The keys with the most blocked events (enforced blocks) in the window, at most {@code limit}: blocked count
     * descending, then key ascending. Keys with no blocked event in the window are absent, however many of their
     * requests a shadow rule would have refused.
     */
    Future<List<Offender>> topOffenders(int days, int limit);

    /**
     * The keys with the most shadow-blocked events in the window — requests served although a shadow rule would
     * have refused them — at most {@code limit}: their count descending, then key ascending; keys with none are
     * absent. The ranking to read before enforcing a shadow rule: who it would have refused. Window, ties, limits
     * and exactness as for {@link #topOffenders}.
     */
    Future<List<Offender>> topShadowOffenders(int days, int limit);

    /**
     * Events per rule in the window, at most {@code limit} rules: hits descending, then rule name
     * ascending, each with its blocked and shadow-blocked events. Events that name no rule ({@code ""}) are not
     * counted.
     */
    Future<List<RuleHits>> ruleHitCounts(int days, int limit);

    /**
     * The drill-down of {@code key} (looked up {@link RateLimitEvent#truncateKey truncated} as events keep
     * it) over the window: its counts, first and last event, blocked events (enforced blocks) per
     * path (at most {@link OffenderDetail#MAX_PATHS} rows, count descending, then path ascending) and its
     * latest {@code recent} events, newest first. A key without events in the window gets
     * {@link OffenderDetail#empty}.
     */
    Future<OffenderDetail> offenderDetail(String key, int days, int recent);

    /** {@link #offenderDetail(String, int, int)} with the {@value #DEFAULT_RECENT} latest events. */
    default Future<OffenderDetail> offenderDetail(String key, int days) {
        return offenderDetail(key, days, DEFAULT_RECENT);
    }

    /**
     * Allowed, blocked and shadow-blocked events in {@code buckets} buckets over the window, laid out by
     * {@link TimeSeries#layout}; the buckets add up to {@link #trafficSummary} of the same window.
     */
    Future<TimeSeries> timeSeries(int days, int buckets);

    /** {@link #trafficSummary(int)} over the window of {@code range}, the answer holding the range. */
    default Future<TrafficSummary> trafficSummary(TimeRange range) {
        return overDays(range, days -> trafficSummary(days).map(summary -> summary.in(range)));
    }

    /** {@link #topOffenders(int, int)} over the window of {@code range}. */
    default Future<List<Offender>> topOffenders(TimeRange range, int limit) {
        return overDays(range, days -> topOffenders(days, limit));
    }

    /** {@link #topShadowOffenders(int, int)} over the window of {@code range}. */
    default Future<List<Offender>> topShadowOffenders(TimeRange range, int limit) {
        return overDays(range, days -> topShadowOffenders(days, limit));
    }

    /** {@link #ruleHitCounts(int, int)} over the window of {@code range}. */
    default Future<List<RuleHits>> ruleHitCounts(TimeRange range, int limit) {
        return overDays(range, days -> ruleHitCounts(days, limit));
    }

    /** {@link #offenderDetail(String, int, int)} over the window of {@code range}, the answer holding the range. */
    default Future<OffenderDetail> offenderDetail(String key, TimeRange range, int recent) {
        return overDays(range, days -> offenderDetail(key, days, recent).map(detail -> detail.in(range)));
    }

    /**
     * The chart of {@code range}: {@link TimeRange#buckets()} buckets of {@link TimeRange#bucket()}, laid out by
     * {@link TimeSeries#layout(Instant, TimeRange)}, the newest ending at now and holding the events stamped after it;
     * they add up to {@link #trafficSummary(TimeRange)} of the same range.
     */
    default Future<TimeSeries> timeSeries(TimeRange range) {
        return overDays(
                range, days -> timeSeries(days, range.buckets()).map(series -> TimeSeries.of(range, series.buckets())));
    }

    /**
     * A range form answered by its {@code days} form, for a store that implements only those: ranges of whole days
     * only.
     */
    private <T> Future<T> overDays(TimeRange range, IntFunction<Future<T>> answer) {
        if (range == null) {
            return Future.failedFuture(new IllegalArgumentException("range must be given"));
        }
        return range.wholeDays()
                .map(answer::apply)
                .orElseGet(() -> Future.failedFuture(new EventStoreException(
                        getClass().getSimpleName() + " answers only ranges of whole days, not " + range)));
    }

    /**
     * The paths with the most blocked events (enforced blocks) in {@code range} ({@code timestamp >= now − length}),
     * at most {@code limit}: blocked count descending, then path ascending; paths never blocked are absent. Rows
     * {@code {path, blocked}}.
     *
     * @param limit 1 to {@value dev.tollgate.events.spi.PanelRules#MAX_ROWS}
     */
    Future<List<BlockedCount>> topBlockedPaths(TimeRange range, int limit);

    /**
     * The user agents with the most blocked events in {@code range}, at most {@code limit}, ordered as
     * {@link #topBlockedPaths}; blocked events without a user agent are left out. Rows {@code {user_agent, blocked}}.
     *
     * @param limit 1 to {@value dev.tollgate.events.spi.PanelRules#MAX_ROWS}
     */
    Future<List<BlockedCount>> topBlockedUserAgents(TimeRange range, int limit);

    /**
     * The upstream's answers in {@code range}: the served events that carry an upstream status, counted per status
     * class, and the percentiles of their latencies over {@link LatencyHistogram}.
     */
    Future<UpstreamStats> upstreamStats(TimeRange range);

    /**
     * Blocked events per bucket of {@code range} for the {@code maxRules} rules with the most of them, and the rest
     * as {@code other}; see {@link BlockedByRule}.
     *
     * @param maxRules 1 to {@value dev.tollgate.events.spi.PanelRules#MAX_ROWS}
     */
    Future<BlockedByRule> blockedByRule(TimeRange range, int maxRules);

    /**
     * The timeline of {@code key} (looked up {@link RateLimitEvent#truncateKey truncated}) over {@code range}: its
     * allowed, blocked and shadow-blocked events per bucket and its {@code userAgents} most frequent user agents; see
     * {@link OffenderTimeline}. An unknown key gets empty buckets and no user agents.
     *
     * @param userAgents 1 to {@value dev.tollgate.events.spi.PanelRules#MAX_ROWS}
     */
    Future<OffenderTimeline> offenderTimeline(String key, TimeRange range, int userAgents);

    /**
     * Removes the events outside the window of {@code days} (stamped before {@code now − days × 24 h}),
     * at most {@code batchSize} at a time so that appends and queries go on in between, and answers how
     * many it removed. Whatever the store pre-aggregates is updated with them. Alert marks older than the
     * same cut-off are removed too, and not counted. Dashboard rules and their changes stay.
     */
    Future<Long> deleteOlderThan(int days, int batchSize);

    /** {@link #deleteOlderThan(int, int)} in batches of {@value #DEFAULT_BATCH_SIZE}. */
    default Future<Long> deleteOlderThan(int days) {
        return deleteOlderThan(days, DEFAULT_BATCH_SIZE);
    }

    /**
     * The keys of {@code kind} whose latest alert mark is at or after {@code since}, each with that mark:
     * what a cooldown needs in order to leave recently alerted keys out. A key never marked, or last
     * marked before {@code since}, is absent.
     *
     * @param kind  what was alerted, as {@code offenders}: 1 to {@value #MAX_ALERT_KIND} characters; each
     *              kind has marks of its own
     * @param since the earliest mark to report, inclusive
     */
    Future<Map<String, Instant>> alertedSince(String kind, Instant since);

    /**
     * Marks {@code keys} of {@code kind} as alerted at {@code at} (truncated to the millisecond; keys
     * {@link RateLimitEvent#truncateKey truncated} as events keep them). A key keeps its latest mark: an
     * earlier {@code at} leaves a later mark in place. Repeated keys count once; an empty collection marks
     * nothing. Once the future succeeds, {@link #alertedSince} finds the marks, in this process and every
     * other that opens the same store.
     */
    Future<Void> recordAlerted(String kind, Collection<String> keys, Instant at);

    /**
     * One page of the raw events that {@code query} selects, newest first: timestamp descending, then the
     * store's tiebreak descending. {@link EventPage#nextCursor()} is present exactly when more events
     * match; passing it on continues where the page ended, without repeating or skipping an event, even
     * while new events are appended. Listing does not depend on the clock.
     */
    Future<EventPage> events(EventQuery query);

    /** Every dashboard rule, by name ascending ({@link String#compareTo} order). */
    default Future<List<StoredRule>> storedRules() {
        return keepsNoRules();
    }

    /**
     * Creates or replaces the dashboard rule {@code name}, and records the change, in one atomic step.
     *
     * <ul>
     *   <li>{@code expectedVersion} 0 creates the rule at version 1; it fails with {@link RuleConflictException}
     *       when the rule exists, and with {@link EventStoreException} when the store holds
     *       {@value #MAX_STORED_RULES} rules already.</li>
     *   <li>{@code expectedVersion} n ≥ 1 replaces the rule's configuration only when it is at version n, and
     *       moves it to n + 1; otherwise it fails with {@link RuleConflictException} naming the actual version
     *       (0 when the rule does not exist).</li>
     *   <li>The {@link RuleChange} recorded holds the previous configuration ({@code null} for a creation) and the
     *       new one; a failed call records nothing and changes nothing.</li>
     * </ul>
     *
     * @param name            1 to {@value #MAX_RULE_NAME} characters, compared exactly
     * @param config          the rule's configuration, at most {@value #MAX_RULE_CONFIG_BYTES} bytes encoded; the
     *                        store keeps a copy and does not interpret it
     * @param expectedVersion the version the caller read, 0 to create
     * @param who             who saves, 1 to {@value #MAX_WHO} characters
     * @param action          what the change is, such as {@code create}, {@code update} or {@code disable}: 1 to
     *                        {@value #MAX_ACTION} characters
     * @param at              when, truncated to the millisecond; the rule's {@code updatedAt} and the change's
     *                        {@code at}
     * @return the rule as stored now
     */
    default Future<StoredRule> saveRule(
            String name, JsonObject config, long expectedVersion, String who, String action, Instant at) {
        return keepsNoRules();
    }

    /**
     * Deletes the dashboard rule {@code name} when it is at {@code expectedVersion}, recording a change with action
     * {@value #DELETE_ACTION} and no configuration after, in one atomic step; otherwise it fails with
     * {@link RuleConflictException} (actual version 0 when the rule does not exist) and changes nothing.
     *
     * @param expectedVersion the version the caller read, at least 1
     * @param who             who deletes, 1 to {@value #MAX_WHO} characters
     * @param at              when, truncated to the millisecond
     */
    default Future<Void> deleteRule(String name, long expectedVersion, String who, Instant at) {
        return keepsNoRules();
    }

    /**
     * The latest changes of dashboard rules, newest first (id descending), at most {@code limit}; the store
     * remembers at least the newest {@value #MAX_RULE_CHANGES}.
     *
     * @param limit 1 to {@value #MAX_RULE_CHANGES}
     */
    default Future<List<RuleChange>> ruleChanges(int limit) {
        return keepsNoRules();
    }

    /** The longest quota name and key {@link #takeQuota} takes. */
    int MAX_QUOTA_TEXT = 1_000;

    /**
     * Whether this store keeps quota counts ({@link #takeQuota}, {@link #quotaCount}, {@link #forgetQuota}, and per day
     * for rolling windows {@link #takeQuotaDays}, {@link #quotaDays}, {@link #forgetQuotaDays}) where they survive a
     * restart and are shared by the nodes that use it; {@code false} by default, and these then fail.
     */
    default boolean keepsQuotas() {
        return false;
    }

    /**
     * Adds {@code cost} to the count of {@code key} under {@code quota} in the period that starts at
     * {@code periodStart}, when the count plus the cost is at most {@code limit}; otherwise changes nothing. Atomic:
     * concurrent acquisitions, from any node, never take a count past the limit. A period's count starts at 0, and the
     * store may forget it once {@code periodEnd} has passed (at the latest when it deletes old events).
     *
     * @param quota       whose count: the rule, its period and zone; 1 to {@value #MAX_QUOTA_TEXT} characters
     * @param key         the client key, 1 to {@value #MAX_QUOTA_TEXT} characters
     * @param periodStart the period's start, in epoch seconds
     * @param periodEnd   the period's end, in epoch seconds
     * @param cost        at least 1, at most {@code limit}
     */
    default Future<QuotaCount> takeQuota(
            String quota, String key, long periodStart, long periodEnd, long cost, long limit) {
        return keepsNoQuotas();
    }

    /** The count of {@code key} under {@code quota} in the period that starts at {@code periodStart}; 0 if none. */
    default Future<Long> quotaCount(String quota, String key, long periodStart) {
        return keepsNoQuotas();
    }

    /** Forgets the count of {@code key} under {@code quota} in the period that starts at {@code periodStart}. */
    default Future<Void> forgetQuota(String quota, String key, long periodStart) {
        return keepsNoQuotas();
    }

    /**
     * Adds {@code cost} to the count of {@code key} under {@code quota} on the day that starts at {@code dayStart},
     * when its counts on the days that start at or after {@code windowStart} (a rolling window), plus the cost, are at
     * most {@code limit}; otherwise changes nothing. Atomic per quota and key: concurrent acquisitions, from any node,
     * never take the window past the limit. The store may forget a day's count once {@code dayLeaves} has passed, when
     * the day has left every window (at the latest when it deletes old events).
     *
     * @param quota       whose counts: the rule, its period and zone; 1 to {@value #MAX_QUOTA_TEXT} characters
     * @param key         the client key, 1 to {@value #MAX_QUOTA_TEXT} characters
     * @param windowStart the start of the window's first day, in epoch seconds
     * @param dayStart    the start of the current day, in epoch seconds
     * @param dayLeaves   when the current day leaves the window, in epoch seconds
     * @param cost        at least 1, at most {@code limit}
     * @return whether the cost was taken, and the counts per day in the window
     */
    default Future<QuotaDays> takeQuotaDays(
            String quota, String key, long windowStart, long dayStart, long dayLeaves, long cost, long limit) {
        return keepsNoQuotas();
    }

    /**
     * The counts of {@code key} under {@code quota} on the days that start at or after {@code windowStart}: the start
     * of each day with a count (epoch seconds) to the count; empty if none.
     */
    default Future<SortedMap<Long, Long>> quotaDays(String quota, String key, long windowStart) {
        return keepsNoQuotas();
    }

    /** Forgets the counts of {@code key} under {@code quota} on every day. */
    default Future<Void> forgetQuotaDays(String quota, String key) {
        return keepsNoQuotas();
    }

    private <T> Future<T> keepsNoQuotas() {
        return Future.failedFuture(new EventStoreException(getClass().getSimpleName() + " keeps no quota counts"));
    }

    private <T> Future<T> keepsNoRules() {
        return Future.failedFuture(new EventStoreException(getClass().getSimpleName() + " keeps no dashboard rules"));
    }

    /**
     * An estimate of the heap this store holds for events and aggregates, in bytes; {@code 0} for a store that
     * keeps them elsewhere, such as in a database. It answers at once, from any thread, without blocking, for
     * monitoring ({@code /health}, {@code /metrics}); a store that holds events in memory documents how it
     * estimates.
     */
    default long heapBytes() {
        return 0;
    }

    /**
     * Releases what the store holds (memory, connections). Idempotent; afterwards every other method fails
     * with {@link EventStoreException}.
     */
    Future<Void> close();
}
