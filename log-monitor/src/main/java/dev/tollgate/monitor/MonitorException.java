package dev.tollgate.monitor;

/**
 * A monitor that cannot start: an unknown format, a flag with a bad value, a log that cannot be
 * opened. The message tells the user what to change; it is meant to be printed without a stack trace.
 */
public class MonitorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MonitorException(String message) {
        super(message);
    }

    public MonitorException(String message, Throwable cause) {
        super(message, cause);
    }
}
