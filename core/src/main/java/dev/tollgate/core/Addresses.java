package dev.tollgate.core;

/** The event-bus addresses Tollgate uses; other verticles and nodes may use them too. */
public final class Addresses {

    /**
     * Published: one {@code RateLimitEvent} per checked request; on a clustered bus its JSON, a {@code JsonObject}
     * ({@link EventBatch#event} reads either).
     */
    public static final String EVENTS = "tollgate.events";
    /**
     * Published: the events of {@link #EVENTS} in {@link EventBatch}es, gathered per event loop, for Tollgate's
     * own consumers (the recorder takes its own node's, the live counters and traffic alerts every node's); on a
     * clustered bus a {@code JsonArray} of the events' JSON ({@link EventBatch#from} reads either).
     */
    public static final String EVENT_BATCHES = "tollgate.events.batches";
    /** Published: alert JSON, {@code type} = {@code offenders}, {@code traffic-high}, {@code traffic-recovered}. */
    public static final String ALERTS = "tollgate.alerts";
    /** Published once a second: live counters. */
    public static final String STATS = "tollgate.stats";
    /** Request/reply: {@code {rule, key, permits}} → decision JSON. */
    public static final String LIMIT_CHECK = "tollgate.limit.check";

    private Addresses() {}
}
