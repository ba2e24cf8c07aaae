/**
 * Tollgate embedded in a Vert.x Web application of its own: {@link dev.tollgate.examples.embedded.EmbeddedApp}
 * puts {@link dev.tollgate.core.RateLimitHandler} before its API routes and mounts the staff dashboard on the same
 * router, with the memory event store between them.
 */
package dev.tollgate.examples.embedded;
