package dev.tollgate.alerting;

/**
 * An alert could not be delivered or an alert run could not be made: the channel's destination refused or
 * did not answer, the event store could not say who the offenders are. The message says what and where,
 * without secrets.
 */
public class AlertingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AlertingException(String message) {
        super(message);
    }

    public AlertingException(String message, Throwable cause) {
        super(message, cause);
    }

    /** What {@code failure} says, on one line; its type's simple name when it says nothing. */
    static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank()
                ? failure.getClass().getSimpleName()
                : message.strip().replace('\n', ' ');
    }
}
