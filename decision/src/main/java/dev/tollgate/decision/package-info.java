/**
 * Tollgate's decisions for services outside the JVM: {@code POST /ratelimit/v1/check} over HTTP and a TCP event-bus
 * bridge, both behind service tokens ({@link dev.tollgate.decision.ServiceTokens}). Start it with
 * {@link dev.tollgate.decision.DecisionService}.
 */
package dev.tollgate.decision;
