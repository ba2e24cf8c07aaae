/**
 * The log monitor: {@link dev.tollgate.monitor.LogMonitor} reads an access log (CSV, Common or
 * Combined Log Format, or a plugin's format) from a file, a growing file or stdin, and reports
 * traffic statistics per chunk of log time ({@link dev.tollgate.monitor.ChunkReport}) and the
 * high-traffic alert ({@link dev.tollgate.monitor.TrafficAlert}). {@link dev.tollgate.monitor.MonitorOptions}
 * holds every flag of {@code tollgate monitor} with its default.
 *
 * <p>Time is the log's own: each request counts in the second it was logged, lines may arrive up to
 * {@code --lateness} out of order, a line more than {@code --max-jump} ahead waits for the next lines
 * to confirm the jump, and only quiet input lets the wall clock move log time on.
 * Results go to {@link dev.tollgate.monitor.MonitorListener}s — the console report is one — and each
 * request to {@link dev.tollgate.monitor.RecordListener}s, which is where replay through rate-limit
 * rules and alert channels plug in. Formats plug in through {@link dev.tollgate.monitor.spi}.
 */
package dev.tollgate.monitor;
