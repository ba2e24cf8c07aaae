/**
 * What the tests of every Tollgate module share: {@link dev.tollgate.test.support.Await}, the bounded waits
 * for a {@link io.vertx.core.Future}, for a condition and for Vert.x instances to close. A test dependency
 * only; nothing Tollgate ships depends on it.
 */
package dev.tollgate.test.support;
