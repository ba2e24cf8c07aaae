package dev.tollgate.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the client's address. The peer address is the client unless the peer is a trusted proxy;
 * then {@code Forwarded} (RFC 7239) or else {@code X-Forwarded-For} is read right to left, skipping
 * trusted hops, and the first untrusted hop is the client. Headers from untrusted peers are ignored,
 * so a client cannot choose its own key by sending them.
 */
public final class ClientAddresses {

    private final List<Cidr> trustedProxies;

    public ClientAddresses(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /** The client address for a request from {@code peer} carrying these headers (either may be null). */
    public String clientIp(String peer, String forwarded, String xForwardedFor) {
        String client = unbracket(peer);
        if (!isTrusted(client)) {
            return client;
        }
        List<String> hops = forwarded != null && !forwarded.isBlank() ? forwardedFor(forwarded) : xForwardedFor(xForwardedFor);
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (Cidr.literal(hop).isEmpty()) {
                // an obfuscated or unknown hop: nothing beyond it can be trusted
                return client;
            }
            client = hop;
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return client;
    }

    private boolean isTrusted(String address) {
        for (Cidr proxy : trustedProxies) {
            if (proxy.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> xForwardedFor(String header) {
        List<String> hops = new ArrayList<>();
        if (header == null) {
            return hops;
        }
        for (String part : header.split(",")) {
            String hop = part.trim();
            if (!hop.isEmpty()) {
                hops.add(stripPort(hop));
            }
        }
        return hops;
    }

    private static List<String> forwardedFor(String header) {
        List<String> hops = new ArrayList<>();
        for (String element : header.split(",")) {
            for (String pair : element.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("for")) {
                    String value = pair.substring(eq + 1).trim();
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    hops.add(stripPort(value));
                }
            }
        }
        return hops;
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

    private static String unbracket(String address) {
        if (address == null) {
            return "";
        }
        return address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    }
}
