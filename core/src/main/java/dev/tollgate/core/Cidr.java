package dev.tollgate.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** A block of IPv4 or IPv6 addresses, {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a plain address is a block of one. */
public final class Cidr {

    private final byte[] network;
    private final int prefix;
    private final String text;

    private Cidr(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /**
     * Reads a block.
     *
     * @throws IllegalArgumentException when {@code text} is not an address literal with an optional prefix length
     */
    public static Cidr parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = literal(address)
                .orElseThrow(() -> new IllegalArgumentException(
                        "'" + text + "' is not an IP address or CIDR block such as 10.0.0.0/8 or ::1/128"));
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.." + bits);
            }
        }
        byte[] network = bytes.clone();
        for (int i = 0; i < network.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            network[i] &= (byte) (0xff << (8 - keep));
        }
        return new Cidr(network, prefix, trimmed);
    }

    /** Whether {@code text} looks like a block or an address rather than a key. */
    public static boolean looksLikeCidr(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        return literal(slash < 0 ? trimmed : trimmed.substring(0, slash)).isPresent();
    }

    /** Whether {@code address} (a literal) is in this block; anything else is not. */
    public boolean contains(String address) {
        Optional<byte[]> bytes = literal(address);
        if (bytes.isEmpty()) {
            return false;
        }
        byte[] candidate = bytes.get();
        if (candidate.length != network.length) {
            return false;
        }
        for (int i = 0; i < network.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            byte mask = (byte) (0xff << (8 - keep));
            if ((candidate[i] & mask) != network[i]) {
                return false;
            }
        }
        return true;
    }

    /** The bytes of an IP literal, never resolving a host name. */
    static Optional<byte[]> literal(String address) {
        String candidate = address.trim();
        if (candidate.startsWith("[") && candidate.endsWith("]")) {
            candidate = candidate.substring(1, candidate.length() - 1);
        }
        if (candidate.isEmpty()) {
            return Optional.empty();
        }
        boolean colon = candidate.indexOf(':') >= 0;
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            boolean ok = (c >= '0' && c <= '9')
                    || c == '.'
                    || (colon && (c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '%'));
            if (!ok) {
                return Optional.empty();
            }
        }
        if (!colon) {
            return ipv4(candidate);
        }
        try {
            byte[] bytes = InetAddress.getByName(candidate).getAddress();
            if (bytes.length == 16 && isMappedIpv4(bytes)) {
                return Optional.of(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
            }
            return Optional.of(bytes);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Optional<byte[]> ipv4(String candidate) {
        String[] parts = candidate.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            // a leading zero reads as octal to some parsers (010 = 8): no one spelling, so no literal
            if (parts[i].isEmpty() || parts[i].length() > 3 || (parts[i].length() > 1 && parts[i].charAt(0) == '0')) {
                return Optional.empty();
            }
            int value = Integer.parseInt(parts[i]);
            if (value > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) value;
        }
        return Optional.of(bytes);
    }

    private static boolean isMappedIpv4(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    @Override
    public String toString() {
        return text;
    }
}
