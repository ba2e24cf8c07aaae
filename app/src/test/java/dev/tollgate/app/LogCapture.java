package dev.tollgate.app;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** What Tollgate logs while a test runs, from every {@code dev.tollgate} logger. */
final class LogCapture extends Handler implements AutoCloseable {

    private static final Logger TOLLGATE = Logger.getLogger("dev.tollgate");

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogCapture() {
        setLevel(Level.ALL);
    }

    static LogCapture start() {
        LogCapture capture = new LogCapture();
        TOLLGATE.addHandler(capture);
        return capture;
    }

    /** The messages at {@code level} or above that contain {@code text}. */
    List<String> lines(Level level, String text) {
        return records.stream()
                .filter(r -> r.getLevel().intValue() >= level.intValue())
                .map(LogRecord::getMessage)
                .filter(m -> m.contains(text))
                .toList();
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        TOLLGATE.removeHandler(this);
    }
}
