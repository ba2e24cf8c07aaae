package dev.tollgate.limiter;

/**
 * A limiter that cannot be built for want of what it runs on (a Vert.x instance) or cannot decide (its backend is
 * down). A limit or a setting that cannot be used is a {@link dev.tollgate.plugin.SettingsException} instead.
 */
public class LimiterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LimiterException(String message) {
        super(message);
    }

    public LimiterException(String message, Throwable cause) {
        super(message, cause);
    }
}
