/**
 * Extension point for event stores: implement {@link dev.tollgate.events.spi.EventStoreProvider}, a
 * {@link dev.tollgate.plugin.Provider} whose {@code create} reads the store's section through a
 * {@link dev.tollgate.plugin.Settings}; list it in
 * {@code META-INF/services/dev.tollgate.events.spi.EventStoreProvider}, and run the contract suite
 * ({@code dev.tollgate.events.EventStoreContract} in this module's test-jar) against it.
 * {@link dev.tollgate.events.spi.QueryRules} holds the argument checks and window arithmetic every store
 * shares; {@link dev.tollgate.events.EventCursor} the keyset cursor of the raw events page.
 */
package dev.tollgate.events.spi;
