/**
 * Extension point for limiter implementations: implement
 * {@link dev.tollgate.limiter.spi.LimiterProvider} and list it in
 * {@code META-INF/services/dev.tollgate.limiter.spi.LimiterProvider}.
 */
package dev.tollgate.limiter.spi;
