package dev.tollgate.monitor;

import dev.tollgate.monitor.spi.LogFormatProvider;
import dev.tollgate.monitor.spi.LogLineParser;
import java.util.Optional;

/**
 * The Combined Log Format, format name {@code combined}: the {@link CommonLogFormat} followed by the
 * quoted referer and user agent, as Apache's {@code combined} and nginx's default {@code access_log}
 * write it. Text after the user agent (extra fields some servers add) is ignored.
 */
public final class CombinedLogFormat implements LogFormatProvider {

    /** The format's name. */
    public static final String NAME = "combined";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Combined Log Format: the Common Log Format plus \"referer\" \"user agent\"";
    }

    @Override
    public LogLineParser create() {
        return new ClfLineParser(true);
    }

    /** Its parser carries nothing from line to line, so any part of a log starts with a new one. */
    @Override
    public Optional<LogLineParser> resume(Object state) {
        return state == null ? Optional.of(create()) : Optional.empty();
    }
}
