package dev.tollgate.envoy;

/** A limiter could not decide an enforced descriptor and the service does not fail open: gRPC {@code UNAVAILABLE}. */
final class LimiterUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    LimiterUnavailableException(String message) {
        super(message, null, false, false);
    }
}
