package dev.tollgate.plugin;

/**
 * What every plugin provider has: a name, the one configurations and command lines use.
 *
 * <p>Every provider of Tollgate (limiter, event store, alert channel, key resolver, log format) follows
 * one convention:
 * <ol>
 *   <li>it has a public no-argument constructor and is listed in {@code META-INF/services/} under its
 *       interface's name, or is registered by code;</li>
 *   <li>{@link #name()} is a constant, lower-case name;</li>
 *   <li>its factory is called {@code create}; it reads its settings from a {@link Settings}, the plugin's
 *       own section, and refuses a setting it cannot use with a {@link SettingsException} naming the key,
 *       before doing any I/O;</li>
 *   <li>it is thread-safe: one provider makes many plugins, from any thread.</li>
 * </ol>
 * Each provider interface states what else it asks for, and has a contract suite in its module's test-jar.
 */
public interface Provider {

    /** The provider's name, as configurations spell it: constant and lower-case. */
    String name();
}
