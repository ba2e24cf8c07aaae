package dev.tollgate.monitor;

import dev.tollgate.monitor.spi.ParsedLine;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Byte-level reading of the ASCII parts of log lines, shared by the shipped formats. */
final class Ascii {

    /** Returned by {@link #parseNumber} for anything but digits. */
    static final long NOT_A_NUMBER = -1;

    private static final int MAX_DIGITS = 18;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final int SHOWN_CHARS = 120;

    private Ascii() {}

    /**
     * Where {@code target} first occurs in {@code b[from, to)}, or {@code to}. Looks at eight bytes at
     * a time: the line splitter and the CSV parser spend most of their time here.
     */
    static int indexOf(byte[] b, int from, int to, byte target) {
        int i = from;
        long pattern = ONES * (target & 0xff);
        for (int last = to - Long.BYTES; i <= last; i += Long.BYTES) {
            long x = (long) LONGS.get(b, i) ^ pattern;
            long found = (x - ONES) & ~x & HIGHS;
            if (found != 0) {
                // the lowest flagged byte is always a real match; only bytes above it can be false
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        while (i < to && b[i] != target) {
            i++;
        }
        return i;
    }

    /** The non-negative decimal number {@code b[from, to)}, or {@link #NOT_A_NUMBER}. */
    static long parseNumber(byte[] b, int from, int to) {
        if (from >= to || to - from > MAX_DIGITS) {
            return NOT_A_NUMBER;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = b[i] - '0';
            if (digit < 0 || digit > 9) {
                return NOT_A_NUMBER;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /**
     * Reads {@code METHOD SP TARGET [SP PROTOCOL]} from {@code b[from, to)} into {@code into}.
     *
     * @return false, after {@link ParsedLine#fail}, when there is no method or no target
     */
    static boolean parseRequest(byte[] b, int from, int to, ParsedLine into) {
        int p = from;
        while (p < to && b[p] == ' ') {
            p++;
        }
        int methodFrom = p;
        while (p < to && b[p] != ' ') {
            p++;
        }
        int methodTo = p;
        while (p < to && b[p] == ' ') {
            p++;
        }
        int pathFrom = p;
        while (p < to && b[p] != ' ') {
            p++;
        }
        if (methodTo == methodFrom || p == pathFrom) {
            into.fail("the request '" + show(b, from, to) + "' is not 'METHOD PATH PROTOCOL'");
            return false;
        }
        into.set(ParsedLine.Field.METHOD, b, methodFrom, methodTo);
        into.set(ParsedLine.Field.PATH, b, pathFrom, p);
        return true;
    }

    /** Parses a status code of three digits, or fails {@code into}. */
    static boolean parseStatus(byte[] b, int from, int to, ParsedLine into) {
        long status = to - from == 3 ? parseNumber(b, from, to) : NOT_A_NUMBER;
        if (status < 100) {
            into.fail("the status '" + show(b, from, to) + "' is not a three-digit HTTP status");
            return false;
        }
        into.status((int) status);
        return true;
    }

    /** Parses a byte count, where {@code -} or nothing means 0, or fails {@code into}. */
    static boolean parseByteCount(byte[] b, int from, int to, ParsedLine into) {
        if (from == to || (to - from == 1 && b[from] == '-')) {
            into.bytes(0);
            return true;
        }
        long bytes = parseNumber(b, from, to);
        if (bytes == NOT_A_NUMBER) {
            into.fail("the byte count '" + show(b, from, to) + "' is not a number");
            return false;
        }
        into.bytes(bytes);
        return true;
    }

    /** Whether {@code b[from, to)} spells {@code word}, ignoring ASCII case. */
    static boolean equalsIgnoreCase(byte[] b, int from, int to, String word) {
        if (to - from != word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (Character.toLowerCase((char) (b[from + i] & 0xff)) != Character.toLowerCase(word.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code b[from, to)} holds only spaces and tabs. */
    static boolean isBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    /** {@code b[from, to)} as text for a message, shortened when long. */
    static String show(byte[] b, int from, int to) {
        if (to - from > SHOWN_CHARS) {
            return new String(b, from, SHOWN_CHARS, StandardCharsets.UTF_8) + "...";
        }
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }
}
