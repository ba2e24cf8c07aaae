/**
 * Plugins as a third party writes them (see docs/plugins.md): {@link dev.tollgate.examples.TimedEventStoreProvider},
 * an event store that wraps another and logs slow calls, and {@link dev.tollgate.examples.JsonLinesChannelProvider},
 * an alert channel that appends alerts to a file as JSON lines. Their jar goes on the classpath beside
 * tollgate.jar; the configuration chooses them by name.
 */
package dev.tollgate.examples;
