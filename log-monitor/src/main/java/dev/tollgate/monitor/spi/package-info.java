/**
 * Extension point for access-log formats: implement
 * {@link dev.tollgate.monitor.spi.LogFormatProvider}, list it in
 * {@code META-INF/services/dev.tollgate.monitor.spi.LogFormatProvider} (or register it with
 * {@link dev.tollgate.monitor.LogFormats#register}), and its name becomes a valid {@code --format}
 * that auto-detection also considers.
 *
 * <p>Parsers work on the raw bytes of a line and describe what they found in a reusable
 * {@link dev.tollgate.monitor.spi.ParsedLine}, so that reading a log allocates almost nothing per line.
 */
package dev.tollgate.monitor.spi;
