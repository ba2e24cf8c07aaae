package dev.tollgate.monitor;

import dev.tollgate.monitor.spi.LogFormatProvider;
import dev.tollgate.monitor.spi.LogLineParser;
import dev.tollgate.monitor.spi.ParseResult;
import dev.tollgate.monitor.spi.ParsedLine.Field;
import java.nio.charset.StandardCharsets;

/**
 * A third-party format as a plugin author would write it: {@code host|epoch|METHOD|path|status|bytes}.
 * Registered by code in the tests that use it.
 */
final class PipeLogFormat implements LogFormatProvider {

    @Override
    public String name() {
        return "pipe";
    }

    @Override
    public String description() {
        return "host|epoch|method|path|status|bytes";
    }

    @Override
    public LogLineParser create() {
        return (b, from, to, into) -> {
            int[] bars = new int[5];
            int found = 0;
            for (int i = from; i < to; i++) {
                if (b[i] == '|') {
                    if (found == bars.length) {
                        return into.fail("more than 6 fields");
                    }
                    bars[found++] = i;
                }
            }
            if (found != bars.length) {
                return into.fail("expected 6 fields separated by |");
            }
            into.set(Field.HOST, b, from, bars[0]);
            into.set(Field.METHOD, b, bars[1] + 1, bars[2]);
            into.set(Field.PATH, b, bars[2] + 1, bars[3]);
            try {
                into.epochSecond(
                        Long.parseLong(new String(b, bars[0] + 1, bars[1] - bars[0] - 1, StandardCharsets.UTF_8)));
                into.status(
                        Integer.parseInt(new String(b, bars[3] + 1, bars[4] - bars[3] - 1, StandardCharsets.UTF_8)));
                into.bytes(Long.parseLong(new String(b, bars[4] + 1, to - bars[4] - 1, StandardCharsets.UTF_8)));
            } catch (NumberFormatException e) {
                return into.fail("not a number: " + e.getMessage());
            }
            return ParseResult.RECORD;
        };
    }
}
