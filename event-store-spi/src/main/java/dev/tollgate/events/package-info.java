/**
 * The event log: every decision becomes a {@link dev.tollgate.events.RateLimitEvent}, an
 * {@link dev.tollgate.events.EventStore} keeps them and answers the analytics — a
 * {@link dev.tollgate.events.TrafficSummary}, the top {@link dev.tollgate.events.Offender}s,
 * {@link dev.tollgate.events.RuleHits}, an {@link dev.tollgate.events.OffenderDetail}, a
 * {@link dev.tollgate.events.TimeSeries} and pages of raw events — with the exact JSON of the reports.
 * {@link dev.tollgate.events.EventStoreRegistry} finds the stores by name.
 *
 * <p>Stores plug in through {@link dev.tollgate.events.spi.EventStoreProvider}. Time always comes from an
 * injected {@link java.time.Clock}, so tests and log replay drive it.
 */
package dev.tollgate.events;
