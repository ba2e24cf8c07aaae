/**
 * Extension point for event stores: implement {@link dev.tollgate.events.spi.EventStoreProvider}, list
 * it in {@code META-INF/services/dev.tollgate.events.spi.EventStoreProvider}, and run the contract suite
 * ({@code dev.tollgate.events.EventStoreContract} in this module's test-jar) against it.
 * {@link dev.tollgate.events.spi.QueryRules} holds the argument checks and window arithmetic every store
 * shares; {@link dev.tollgate.events.EventCursor} the keyset cursor of the raw events page.
 */
package dev.tollgate.events.spi;
