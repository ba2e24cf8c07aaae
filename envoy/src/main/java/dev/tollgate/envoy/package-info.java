/**
 * Envoy's global rate-limit API for Tollgate: {@link dev.tollgate.envoy.EnvoyRateLimitService} serves
 * {@code envoy.service.ratelimit.v3.RateLimitService} over gRPC with Tollgate's limiters, configured by
 * {@link dev.tollgate.envoy.EnvoyConfig} in envoyproxy/ratelimit's own YAML shape and tuned by
 * {@link dev.tollgate.envoy.EnvoyOptions}.
 */
package dev.tollgate.envoy;
