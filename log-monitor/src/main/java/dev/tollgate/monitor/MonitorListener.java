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

    /** The run ended: the input closed or {@link LogMonitor#stop} was called. */
    default void onFinish(MonitorSummary summary) {}
}
