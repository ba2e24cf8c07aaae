package dev.tollgate.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP/1.1 written by hand on a plain socket, for requests no client library would send: a path spelled
 * with dot segments or escapes, a header on several lines, a peer that stalls half-way.
 */
final class RawHttp {

    /** A response as read off the socket. */
    record Response(int status, String head, String body) {
        /** The first value of header {@code name}, case-insensitively. */
        Optional<String> header(String name) {
            String wanted = name.toLowerCase(Locale.ROOT) + ":";
            return head.lines()
                    .skip(1)
                    .filter(l -> l.toLowerCase(Locale.ROOT).startsWith(wanted))
                    .map(l -> l.substring(wanted.length()).trim())
                    .findFirst();
        }
    }

    private RawHttp() {}

    /** Sends {@code GET target} with {@code headers} (each a whole line, repeats allowed) and reads the answer. */
    static Response get(int port, String target, String... headers) {
        StringBuilder request = new StringBuilder("GET ")
                .append(target)
                .append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                .append(port)
                .append("\r\nConnection: close\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return exchange(port, request.append("\r\n").toString());
    }

    /** Writes {@code request} as it is, reads until the server closes, and parses the one response. */
    static Response exchange(int port, String request) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException("exchange with 127.0.0.1:" + port + " failed", e);
        }
    }

    /** Reads what the server sends until it closes the connection, or 30 s pass. */
    static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                bytes.write(chunk, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new IllegalStateException("the server neither answered nor closed within 30 s: "
                    + bytes.toString(StandardCharsets.ISO_8859_1));
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    static Response parse(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || end < 0) {
            throw new IllegalStateException("not an HTTP response: '" + text + "'");
        }
        String head = text.substring(0, end);
        int status = Integer.parseInt(head.substring(9, 12));
        String body = text.substring(end + 4);
        if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
            body = unchunk(body);
        }
        return new Response(status, head, body);
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int line = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(
                    chunked.substring(at, line).split(";", -1)[0].trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, line + 2, line + 2 + size);
            at = line + 2 + size + 2;
        }
    }

    /** The lines of {@code header} in a request, one line each, for a header sent more than once. */
    static String[] lines(String header, List<String> values) {
        return values.stream().map(v -> header + ": " + v).toArray(String[]::new);
    }
}
