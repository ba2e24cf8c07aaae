package dev.tollgate.monitor;

import dev.tollgate.monitor.spi.LogLineParser;
import dev.tollgate.monitor.spi.ParseResult;
import dev.tollgate.monitor.spi.ParsedLine;
import java.nio.charset.StandardCharsets;

/** Parses single lines through a format's parser, as the monitor does. */
final class Parsing {

    private final LogLineParser parser;
    final ParsedLine line = new ParsedLine();

    Parsing(LogLineParser parser) {
        this.parser = parser;
    }

    /** Parses {@code text}, placed inside a larger array so that offsets matter. */
    ParseResult parse(String text) {
        byte[] bytes = ("xx" + text + "yy").getBytes(StandardCharsets.UTF_8);
        line.reset();
        return parser.parse(bytes, 2, bytes.length - 2, line);
    }

    String text(ParsedLine.Field field) {
        return line.text(field).orElse("<absent>");
    }
}
