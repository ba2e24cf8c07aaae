/**
 * Extension points for limiter implementations: implement
 * {@link dev.tollgate.limiter.spi.LimiterProvider}, a {@link dev.tollgate.plugin.Provider} named after its
 * algorithm, and list it in {@code META-INF/services/dev.tollgate.limiter.spi.LimiterProvider}. An in-process
 * limiter that charges a {@link dev.tollgate.limiter.MemoryBudget} registers with it as a
 * {@link dev.tollgate.limiter.spi.StateHolder}.
 */
package dev.tollgate.limiter.spi;
