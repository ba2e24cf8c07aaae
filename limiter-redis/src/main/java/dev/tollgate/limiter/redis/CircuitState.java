package dev.tollgate.limiter.redis;

/**
 * The state of the circuit breaker in front of a Redis server.
 *
 * <ul>
 *   <li>{@link #CLOSED}: decisions go to Redis; consecutive failures are counted.</li>
 *   <li>{@link #OPEN}: after too many consecutive failures, decisions fail at once with a
 *       {@link dev.tollgate.limiter.LimiterException}, without touching the network, until the
 *       cool-down has passed.</li>
 *   <li>{@link #HALF_OPEN}: the cool-down has passed and one probe decision is on its way; its success
 *       closes the circuit, its failure opens it for another cool-down. Others fail at once meanwhile.</li>
 * </ul>
 */
public enum CircuitState {
    CLOSED,
    OPEN,
    HALF_OPEN
}
