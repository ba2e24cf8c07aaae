/**
 * The event-bus core: {@link dev.tollgate.core.Tollgate} composes rules, limiters, key resolvers and
 * the event store; {@link dev.tollgate.core.RateLimitHandler} limits HTTP requests in any router;
 * {@link dev.tollgate.core.EventRecorder} moves events from the bus into the store; the
 * {@code tollgate.limit.check} service and the {@code tollgate.stats} publisher serve other verticles.
 */
package dev.tollgate.core;
