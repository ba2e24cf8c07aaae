package dev.tollgate.limiter;

/** A limiter that cannot be built (an unknown algorithm) or cannot decide (its backend is down). */
public class LimiterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LimiterException(String message) {
        super(message);
    }

    public LimiterException(String message, Throwable cause) {
        super(message, cause);
    }
}
