package dev.tollgate.app;

/**
 * One request's state in {@link HttpServerMeters} and {@link HttpClientMeters}: in flight until both the request
 * and the response have ended, or until it is reset. One event loop's; not thread-safe.
 */
final class HttpExchange {

    /** The method's index in {@link MetersByIndex#METHODS}. */
    final int method;

    /** When the request began ({@link System#nanoTime}). */
    final long start = System.nanoTime();

    /** The response's status code; 0 until a response begins (counted as the status class {@code other}). */
    int status;

    private boolean requestEnded;
    private boolean responseEnded;
    private boolean reset;

    HttpExchange(String method) {
        this.method = MetersByIndex.method(method);
    }

    /** Marks the request ended; whether the exchange is over now, so no longer in flight. */
    boolean endRequest() {
        requestEnded = true;
        return !reset && responseEnded;
    }

    /** Marks the response ended; whether the exchange is over now, so no longer in flight. */
    boolean endResponse() {
        responseEnded = true;
        return !reset && requestEnded;
    }

    /** Marks the exchange reset: no longer in flight from now, whatever ends after. */
    void reset() {
        reset = true;
    }
}
