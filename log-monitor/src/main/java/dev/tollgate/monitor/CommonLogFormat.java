package dev.tollgate.monitor;

import dev.tollgate.monitor.spi.LogFormatProvider;
import dev.tollgate.monitor.spi.LogLineParser;
import java.util.Optional;

/**
 * The Common Log Format, format name {@code common}:
 * {@code 127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /index.html HTTP/1.0" 200 2326}.
 * Nothing may follow the byte count; logs with referer and user agent are {@link CombinedLogFormat}.
 */
public final class CommonLogFormat implements LogFormatProvider {

    /** The format's name. */
    public static final String NAME = "common";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Common Log Format: host ident authuser [date] \"request\" status bytes";
    }

    @Override
    public LogLineParser create() {
        return new ClfLineParser(false);
    }

    /** Its parser carries nothing from line to line, so any part of a log starts with a new one. */
    @Override
    public Optional<LogLineParser> resume(Object state) {
        return state == null ? Optional.of(create()) : Optional.empty();
    }
}
