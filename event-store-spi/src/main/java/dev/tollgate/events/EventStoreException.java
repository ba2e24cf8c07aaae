package dev.tollgate.events;

/**
 * An event store could not do what was asked: it is closed, unreachable, misconfigured, or no store
 * of the requested name is known. The message says what to change where there is something to change.
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
