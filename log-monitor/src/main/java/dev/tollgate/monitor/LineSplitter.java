package dev.tollgate.monitor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Cuts a byte stream into lines (LF or CRLF) in one reusable buffer, carrying a partial line over to
 * the next read. A line longer than {@link #MAX_LINE} bytes is reported and skipped. Not thread-safe.
 */
final class LineSplitter {

    /** Receives lines: {@code bytes[from, to)} without the terminator, numbered from 1. */
    interface LineSink {
        void line(byte[] bytes, int from, int to, long number);

        void tooLong(long number);
    }

    static final int MAX_LINE = 1 << 20;

    private final LineSink sink;
    private byte[] buffer;
    private ByteBuffer view;
    private int start;
    private int end;
    private int scanned;
    private long lineNumber;
    private boolean discarding;
    private long bytesRead;

    LineSplitter(int bufferSize, LineSink sink) {
        this.sink = sink;
        this.buffer = new byte[bufferSize];
        this.view = ByteBuffer.wrap(buffer);
    }

    /** Reads once from {@code channel} and hands over the complete lines; the count read, or -1 at its end. */
    int readFrom(ReadableByteChannel channel) throws IOException {
        makeRoom();
        view.limit(buffer.length).position(end);
        int n = channel.read(view);
        if (n > 0) {
            end += n;
            bytesRead += n;
            split();
        }
        return n;
    }

    /** Hands over the complete lines of {@code data[0, length)}, after what came before. */
    void append(byte[] data, int length) {
        int offset = 0;
        while (offset < length) {
            makeRoom();
            int n = Math.min(length - offset, buffer.length - end);
            System.arraycopy(data, offset, buffer, end, n);
            end += n;
            offset += n;
            bytesRead += n;
            split();
        }
    }

    /**
     * Hands over every line of {@code data[0, length)}, a whole input of its own, as a splitter that read it would:
     * lines in place in {@code data}, numbered from 1, a line of {@link #MAX_LINE} bytes or more reported too long,
     * a last line without terminator counted. Returns the lines handed over.
     */
    static long splitWhole(byte[] data, int length, LineSink sink) {
        long number = 0;
        int lineStart = 0;
        for (int i = Ascii.indexOf(data, 0, length, (byte) '\n');
                i < length;
                i = Ascii.indexOf(data, i + 1, length, (byte) '\n')) {
            number = whole(data, lineStart, i, ++number, sink);
            lineStart = i + 1;
        }
        if (lineStart < length) {
            number = whole(data, lineStart, length, ++number, sink);
        }
        return number;
    }

    private static long whole(byte[] data, int from, int end, long number, LineSink sink) {
        if (end - from >= MAX_LINE) {
            sink.tooLong(number);
        } else {
            sink.line(data, from, end > from && data[end - 1] == '\r' ? end - 1 : end, number);
        }
        return number;
    }

    /** The input ended (or was replaced): a last line without terminator still counts. */
    void endOfInput() {
        if (end > start && !discarding) {
            int to = end;
            if (buffer[to - 1] == '\r') {
                to--;
            }
            sink.line(buffer, start, to, ++lineNumber);
        }
        discarding = false;
        start = 0;
        end = 0;
        scanned = 0;
    }

    /** Drops a partial line: the file it came from was truncated. */
    void discardPartial() {
        discarding = false;
        start = 0;
        end = 0;
        scanned = 0;
    }

    /** The bytes read so far. */
    long bytesRead() {
        return bytesRead;
    }

    /** The lines handed over so far. */
    long lines() {
        return lineNumber;
    }

    private void split() {
        byte[] b = buffer;
        int lineStart = start;
        int limit = end;
        for (int i = Ascii.indexOf(b, scanned, limit, (byte) '\n');
                i < limit;
                i = Ascii.indexOf(b, i + 1, limit, (byte) '\n')) {
            if (discarding) {
                discarding = false;
            } else {
                int to = i > lineStart && b[i - 1] == '\r' ? i - 1 : i;
                sink.line(b, lineStart, to, ++lineNumber);
            }
            lineStart = i + 1;
        }
        start = lineStart;
        scanned = limit;
        if (start == end) {
            start = 0;
            end = 0;
            scanned = 0;
        }
    }

    /** Makes space at the end of the buffer: moves the partial line to the front, grows, or skips it. */
    private void makeRoom() {
        if (start > 0 && buffer.length - end < buffer.length / 8) {
            int length = end - start;
            System.arraycopy(buffer, start, buffer, 0, length);
            scanned -= start;
            start = 0;
            end = length;
        }
        if (end < buffer.length) {
            return;
        }
        if (buffer.length < MAX_LINE) {
            byte[] bigger = new byte[Math.min(MAX_LINE, buffer.length * 2)];
            System.arraycopy(buffer, 0, bigger, 0, end);
            buffer = bigger;
            view = ByteBuffer.wrap(buffer);
        } else {
            if (!discarding) {
                sink.tooLong(++lineNumber);
                discarding = true;
            }
            start = 0;
            end = 0;
            scanned = 0;
        }
    }
}
