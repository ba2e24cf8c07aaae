package dev.tollgate.monitor;

/**
 * Receives what the monitor reports, in log-time order, on the thread that called
 * {@link LogMonitor#run}: the console output is one listener, and alert channels or a dashboard plug
 * in the same way through {@link MonitorOptions.Builder#listener}. A listener that throws is reported
 * on stderr once and then left out; it never stops the run. Every method does nothing by default.
 */
public interface MonitorListener {

    /** A chunk of log time is complete (or, at the end of the input, the last partial one). */
    default void onChunk(ChunkReport chunk) {}

    /** The high-traffic alert was raised or recovered. */
    default void onAlert(TrafficAlert alert) {}

    /**
     * A second of log time is final, with its requests and the alert window's; called after
     * {@link #onAlert} for the same second and before the {@link #onChunk} that it ends.
     */
    default void onSecond(SecondCount second) {}

    /** A line was counted as bad; {@code reason} says why, in words that may quote the line (unescaped). */
    default void onBadLine(long lineNumber, String reason) {}

    /** How far the run has got: about once a second of wall time, and once when the input has ended. */
    default void onProgress(MonitorProgress progress) {}

    /** The run ended: the input closed or {@link LogMonitor#stop} was called. */
    default void onFinish(MonitorSummary summary) {}
}
