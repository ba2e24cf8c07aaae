package dev.tollgate.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the client's address. The peer address is the client unless the peer is a trusted proxy;
 * then exactly one forwarding header is believed — the one chosen by {@link Header}, every line of it,
 * joined in order — and read right to left, skipping trusted hops: the first untrusted hop is the
 * client. Every other forwarding header is ignored, and so are all of them from an untrusted peer, so
 * a client cannot choose its own key by sending them. Addresses come out {@link IpAddress#canonical
 * canonical}: one client, one spelling.
 */
public final class ClientAddresses {

    /** The forwarding header the trusted proxies set, as {@code limiter.clientAddressHeader} names it. */
    public enum Header {
        /** {@code X-Forwarded-For: client, proxy1, proxy2} (the default). */
        X_FORWARDED_FOR("x-forwarded-for"),
        /** {@code Forwarded: for=client, for=proxy1} (RFC 7239). */
        FORWARDED("forwarded"),
        /** {@code X-Real-IP: client}, read like {@code X-Forwarded-For} when a proxy appends to it. */
        X_REAL_IP("x-real-ip");

        private final String headerName;

        Header(String headerName) {
            this.headerName = headerName;
        }

        /** The header's name, lower case; also its name in the configuration. */
        public String headerName() {
            return headerName;
        }

        /**
         * The header of this configuration name, case-insensitively.
         *
         * @throws IllegalArgumentException naming the choices
         */
        public static Header named(String name) {
            String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
            for (Header header : values()) {
                if (header.headerName.equals(wanted)) {
                    return header;
                }
            }
            throw new IllegalArgumentException("unknown client address header '" + name + "'; choose one of "
                    + String.join(
                            ", ",
                            Arrays.stream(values()).map(Header::headerName).toList()));
        }
    }

    private final List<Cidr> trustedProxies;
    private final Header header;

    public ClientAddresses(List<Cidr> trustedProxies, Header header) {
        this.trustedProxies = List.copyOf(trustedProxies);
        this.header = header;
    }

    /** Trusting the proxies in {@code trustedProxies} to set {@code X-Forwarded-For}. */
    public ClientAddresses(List<Cidr> trustedProxies) {
        this(trustedProxies, Header.X_FORWARDED_FOR);
    }

    /** The forwarding header believed. */
    public Header header() {
        return header;
    }

    /** Whether {@code address} is one of the trusted proxies. */
    public boolean isTrusted(String address) {
        if (trustedProxies.isEmpty()) {
            return false;
        }
        for (Cidr proxy : trustedProxies) {
            if (proxy.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client address, canonical, for a request from {@code peer} carrying {@code headerLines}: every
     * line of the believed header, in the order received (empty when it is absent).
     */
    public String clientIp(String peer, List<String> headerLines) {
        String client = IpAddress.canonicalOrSelf(peer == null ? "" : peer);
        if (headerLines.isEmpty() || !isTrusted(client)) {
            return client;
        }
        List<String> hops = hops(headerLines);
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<String> hop = IpAddress.canonical(hops.get(i));
            if (hop.isEmpty()) {
                // an obfuscated or unknown hop: nothing beyond it can be trusted
                return client;
            }
            client = hop.get();
            if (!isTrusted(client)) {
                return client;
            }
        }
        return client;
    }

    private List<String> hops(List<String> lines) {
        List<String> hops = new ArrayList<>();
        for (String line : lines) {
            if (header == Header.FORWARDED) {
                forwardedFor(line, hops);
            } else {
                for (String part : line.split(",", -1)) {
                    String hop = part.trim();
                    if (!hop.isEmpty()) {
                        hops.add(stripPort(hop));
                    }
                }
            }
        }
        return hops;
    }

    private static void forwardedFor(String line, List<String> hops) {
        for (String element : line.split(",", -1)) {
            boolean found = false;
            for (String pair : element.split(";", -1)) {
                int eq = pair.indexOf('=');
                if (eq > 0
                        && pair.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("for")) {
                    String value = pair.substring(eq + 1).trim();
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    hops.add(stripPort(value));
                    found = true;
                    break;
                }
            }
            if (!found && !element.isBlank()) {
                // a hop that does not say whom it forwarded for: unknown
                hops.add("unknown");
            }
        }
    }

    private static String stripPort(String hop) {
        if (hop.startsWith("[")) {
            int close = hop.indexOf(']');
            return close > 0 ? hop.substring(1, close) : hop;
        }
        int colon = hop.indexOf(':');
        if (colon > 0 && hop.indexOf(':', colon + 1) < 0) {
            return hop.substring(0, colon);
        }
        return hop;
    }
}
