/**
 * The embedded default event store, {@code memory}: {@link dev.tollgate.store.memory.MemoryEventStore},
 * opened by name through {@link dev.tollgate.store.memory.MemoryEventStoreProvider}.
 */
package dev.tollgate.store.memory;
