package dev.tollgate.events;

/**
 * An event store could not do what was asked: it is closed, unreachable or could not be prepared, or it
 * was built by code with options it cannot use. A setting of the configuration that a store cannot use,
 * and the name of no known store, are a {@link dev.tollgate.plugin.SettingsException} instead. The message
 * says what to change where there is something to change.
 */
public class EventStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EventStoreException(String message) {
        super(message);
    }

    public EventStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
