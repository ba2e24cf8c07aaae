package dev.tollgate.monitor;

import java.nio.charset.StandardCharsets;

/**
 * Finds the section of a request target without copying when it can: {@code /} plus the first path
 * segment, query and fragment removed. An absolute target ({@code http://host/api/x}) counts from its
 * path; leading slashes collapse ({@code //api} is {@code /api}). One instance per reading thread.
 */
final class Sections {

    private static final byte[] ROOT = {'/'};

    private byte[] scratch = new byte[64];

    /** The array holding the last section found. */
    byte[] array;
    /** Where the last section found starts in {@link #array}. */
    int from;
    /** Where the last section found ends in {@link #array}, exclusive. */
    int to;

    /** Finds the section of {@code b[from, to)}; the result is in {@link #array}, {@link #from}, {@link #to}. */
    void find(byte[] b, int pathFrom, int pathTo) {
        int p = skipSchemeAndAuthority(b, pathFrom, pathTo);
        int slashes = p;
        while (p < pathTo && b[p] == '/') {
            p++;
        }
        int end = p;
        while (end < pathTo) {
            byte c = b[end];
            if (c == '/' || c == '?' || c == '#') {
                break;
            }
            end++;
        }
        if (end == p) {
            array = ROOT;
            from = 0;
            to = 1;
        } else if (p > slashes) {
            array = b;
            from = p - 1;
            to = end;
        } else {
            int length = end - p + 1;
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, scratch.length * 2)];
            }
            scratch[0] = '/';
            System.arraycopy(b, p, scratch, 1, length - 1);
            array = scratch;
            from = 0;
            to = length;
        }
    }

    /** The section of {@code path}. */
    static String of(String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        Sections sections = new Sections();
        sections.find(bytes, 0, bytes.length);
        return sections.text();
    }

    /** The last section found, as a string. */
    String text() {
        return new String(array, from, to - from, StandardCharsets.UTF_8);
    }

    private static int skipSchemeAndAuthority(byte[] b, int from, int to) {
        if (from >= to || b[from] == '/') {
            return from;
        }
        int p = from;
        while (p < to && isSchemeChar(b[p])) {
            p++;
        }
        if (p == from || p + 2 >= to || b[p] != ':' || b[p + 1] != '/' || b[p + 2] != '/') {
            return from;
        }
        p += 3;
        while (p < to && b[p] != '/' && b[p] != '?' && b[p] != '#') {
            p++;
        }
        return p;
    }

    private static boolean isSchemeChar(byte c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '+'
                || c == '-'
                || c == '.';
    }
}
