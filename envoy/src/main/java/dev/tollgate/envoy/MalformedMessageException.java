package dev.tollgate.envoy;

/**
 * A request that is not the protobuf message it should be, or one past the service's bounds: answered with gRPC status
 * {@code INVALID_ARGUMENT} and this message, never with a stack trace.
 */
final class MalformedMessageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    MalformedMessageException(String message) {
        super(message, null, false, false);
    }
}
