package dev.tollgate.monitor;

/**
 * One second of log time, final: no line may land in it any more. Given for every second the alert rule
 * is evaluated at, in order; a run of seconds without requests, with none in the window either, may be
 * left out (its seconds had no requests).
 *
 * @param epochSecond the second
 * @param requests the requests placed in it (late lines are not)
 * @param windowRequests the requests in the alert window ending at it, what the alert rule compares
 * @param window the alert window's length in seconds
 */
public record SecondCount(long epochSecond, long requests, long windowRequests, long window) {

    /** The average requests per second over the window ending at this second. */
    public double windowRate() {
        return windowRequests / (double) window;
    }
}
