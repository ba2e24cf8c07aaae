package dev.tollgate.monitor;

import dev.tollgate.monitor.spi.LogLineParser;
import dev.tollgate.monitor.spi.ParseResult;
import dev.tollgate.monitor.spi.ParsedLine;
import dev.tollgate.monitor.spi.ParsedLine.Field;

/**
 * Common Log Format ({@code host ident authuser [date] "request" status bytes}) and, when
 * {@code combined}, the two quoted fields after it: referer and user agent. Quoted fields may escape
 * quotes with a backslash, as Apache and nginx write them.
 */
final class ClfLineParser implements LogLineParser {

    private static final int DATE_LENGTH = "10/Oct/2000:13:55:36 -0700".length();

    private final boolean combined;
    private byte[] scratch = new byte[256];
    private int scratchLength;
    /** Where the last {@link #quoted} field ends; the method returns the position after its quote. */
    private int quotedEnd;

    private byte[] quotedArray;
    private int quotedStart;

    ClfLineParser(boolean combined) {
        this.combined = combined;
    }

    @Override
    public ParseResult parse(byte[] b, int from, int to, ParsedLine into) {
        scratchLength = 0;
        int p = from;
        int hostEnd = token(b, p, to);
        if (hostEnd == p) {
            return into.fail("the line does not start with a host");
        }
        into.set(Field.HOST, b, p, hostEnd);
        p = skipSpaces(b, hostEnd, to);
        p = skipSpaces(b, token(b, p, to), to);
        int bracket = p;
        while (bracket < to && b[bracket] != '[') {
            bracket++;
        }
        if (bracket == to) {
            return into.fail("no [date] after the host");
        }
        int userEnd = bracket;
        while (userEnd > p && b[userEnd - 1] == ' ') {
            userEnd--;
        }
        if (userEnd > p && !(userEnd - p == 1 && b[p] == '-')) {
            into.set(Field.USER, b, p, userEnd);
        }
        int dateStart = bracket + 1;
        int dateEnd = dateStart + DATE_LENGTH;
        if (dateEnd >= to || b[dateEnd] != ']') {
            return into.fail("the date is not [dd/Mon/yyyy:HH:mm:ss +zzzz]");
        }
        long epoch = parseDate(b, dateStart);
        if (epoch == Long.MIN_VALUE) {
            return into.fail("the date '" + Ascii.show(b, dateStart, dateEnd) + "' is not dd/Mon/yyyy:HH:mm:ss +zzzz");
        }
        into.epochSecond(epoch);
        p = skipSpaces(b, dateEnd + 1, to);
        p = quoted(b, p, to);
        if (p < 0) {
            return into.fail("no quoted \"request\" after the date");
        }
        if (!Ascii.parseRequest(quotedArray, quotedStart, quotedEnd, into)) {
            return ParseResult.BAD;
        }
        p = skipSpaces(b, p, to);
        int statusEnd = token(b, p, to);
        if (!Ascii.parseStatus(b, p, statusEnd, into)) {
            return ParseResult.BAD;
        }
        p = skipSpaces(b, statusEnd, to);
        int bytesEnd = token(b, p, to);
        if (bytesEnd == p) {
            return into.fail("no byte count after the status");
        }
        if (!Ascii.parseByteCount(b, p, bytesEnd, into)) {
            return ParseResult.BAD;
        }
        p = skipSpaces(b, bytesEnd, to);
        if (!combined) {
            return p == to
                    ? ParseResult.RECORD
                    : into.fail("unexpected text after the byte count (is it --format combined?)");
        }
        p = quoted(b, p, to);
        if (p < 0) {
            return into.fail("no quoted \"referer\" after the byte count");
        }
        setUnlessDash(Field.REFERER, into);
        p = quoted(b, skipSpaces(b, p, to), to);
        if (p < 0) {
            return into.fail("no quoted \"user agent\" after the referer");
        }
        setUnlessDash(Field.USER_AGENT, into);
        return ParseResult.RECORD;
    }

    private void setUnlessDash(Field field, ParsedLine into) {
        if (quotedEnd > quotedStart && !(quotedEnd - quotedStart == 1 && quotedArray[quotedStart] == '-')) {
            into.set(field, quotedArray, quotedStart, quotedEnd);
        }
    }

    private static int token(byte[] b, int p, int to) {
        while (p < to && b[p] != ' ') {
            p++;
        }
        return p;
    }

    private static int skipSpaces(byte[] b, int p, int to) {
        while (p < to && b[p] == ' ') {
            p++;
        }
        return p;
    }

    /**
     * Reads the quoted field at {@code p} into {@link #quotedArray} from {@link #quotedStart} to
     * {@link #quotedEnd}, unescaping backslashes; returns the position after the closing quote, or -1.
     */
    private int quoted(byte[] b, int p, int to) {
        if (p >= to || b[p] != '"') {
            return -1;
        }
        int start = p + 1;
        int q = start;
        boolean escaped = false;
        while (q < to && b[q] != '"') {
            if (b[q] == '\\') {
                escaped = true;
                q++;
            }
            q++;
        }
        if (q >= to) {
            return -1;
        }
        if (!escaped) {
            quotedArray = b;
            quotedStart = start;
            quotedEnd = q;
        } else {
            unescape(b, start, q);
        }
        return q + 1;
    }

    private void unescape(byte[] b, int from, int to) {
        if (scratch.length - scratchLength < to - from) {
            // fields set earlier keep pointing at the old array, which stays valid
            scratch = new byte[Math.max(scratch.length * 2, to - from)];
            scratchLength = 0;
        }
        int w = scratchLength;
        for (int i = from; i < to; i++) {
            if (b[i] == '\\' && i + 1 < to) {
                i++;
            }
            scratch[w++] = b[i];
        }
        quotedArray = scratch;
        quotedStart = scratchLength;
        quotedEnd = w;
        scratchLength = w;
    }

    /** {@code dd/Mon/yyyy:HH:mm:ss +zzzz} at {@code p} as epoch seconds, or {@link Long#MIN_VALUE}. */
    static long parseDate(byte[] b, int p) {
        int day = twoDigits(b, p);
        int month = month(b, p + 3);
        long year = Ascii.parseNumber(b, p + 7, p + 11);
        int hour = twoDigits(b, p + 12);
        int minute = twoDigits(b, p + 15);
        int second = twoDigits(b, p + 18);
        int zoneHours = twoDigits(b, p + 22);
        int zoneMinutes = twoDigits(b, p + 24);
        byte sign = b[p + 21];
        if (b[p + 2] != '/'
                || b[p + 6] != '/'
                || b[p + 11] != ':'
                || b[p + 14] != ':'
                || b[p + 17] != ':'
                || b[p + 20] != ' '
                || (sign != '+' && sign != '-')
                || day < 1
                || day > 31
                || month < 1
                || year < 0
                || hour > 23
                || minute > 59
                || second > 60
                || zoneHours > 23
                || zoneMinutes > 59) {
            return Long.MIN_VALUE;
        }
        long offset = zoneHours * 3600L + zoneMinutes * 60L;
        long local = daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second;
        return sign == '+' ? local - offset : local + offset;
    }

    /** Two decimal digits at {@code p}, or -1. */
    private static int twoDigits(byte[] b, int p) {
        int tens = b[p] - '0';
        int ones = b[p + 1] - '0';
        if (tens < 0 || tens > 9 || ones < 0 || ones > 9) {
            return -1;
        }
        return tens * 10 + ones;
    }

    /** The month 1..12 of the English abbreviation at {@code p}, or -1. */
    private static int month(byte[] b, int p) {
        int key = ((b[p] | 0x20) << 16) | ((b[p + 1] | 0x20) << 8) | (b[p + 2] | 0x20);
        return switch (key) {
            case ('j' << 16) | ('a' << 8) | 'n' -> 1;
            case ('f' << 16) | ('e' << 8) | 'b' -> 2;
            case ('m' << 16) | ('a' << 8) | 'r' -> 3;
            case ('a' << 16) | ('p' << 8) | 'r' -> 4;
            case ('m' << 16) | ('a' << 8) | 'y' -> 5;
            case ('j' << 16) | ('u' << 8) | 'n' -> 6;
            case ('j' << 16) | ('u' << 8) | 'l' -> 7;
            case ('a' << 16) | ('u' << 8) | 'g' -> 8;
            case ('s' << 16) | ('e' << 8) | 'p' -> 9;
            case ('o' << 16) | ('c' << 8) | 't' -> 10;
            case ('n' << 16) | ('o' << 8) | 'v' -> 11;
            case ('d' << 16) | ('e' << 8) | 'c' -> 12;
            default -> -1;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
    static long daysFromCivil(long year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        int shiftedMonth = month > 2 ? month - 3 : month + 9;
        long dayOfYear = (153L * shiftedMonth + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }
}
