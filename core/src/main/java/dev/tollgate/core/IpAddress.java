package dev.tollgate.core;

import java.util.Optional;

/**
 * The one spelling of an IP address that keys, allow and deny lists and events use: IPv4 in dotted
 * decimal, IPv6 as RFC 5952 writes it (lower case, leading zeros dropped, the longest run of two or
 * more zero groups written {@code ::}), and an IPv4-mapped IPv6 address ({@code ::ffff:1.2.3.4}) as its
 * IPv4 address. So {@code 2001:db8:0:0::1}, {@code 2001:DB8::0001} and {@code [2001:db8::1]} are all
 * {@code 2001:db8::1}, and a client cannot get a second allowance by spelling its address differently.
 */
public final class IpAddress {

    private IpAddress() {}

    /** The canonical spelling of the literal {@code text} (brackets and a zone allowed); empty when it is none. */
    public static Optional<String> canonical(String text) {
        if (text == null) {
            return Optional.empty();
        }
        if (isCanonicalIpv4(text)) {
            return Optional.of(text);
        }
        return Cidr.literal(withoutZone(text)).map(IpAddress::format);
    }

    /** {@link #canonical} of {@code text}, or {@code text} itself when it is not an address literal. */
    public static String canonicalOrSelf(String text) {
        // every request asks this of its peer's address, nearly always already in this spelling
        return text != null && isCanonicalIpv4(text) ? text : canonical(text).orElse(text);
    }

    /** Whether {@code text} is an IPv4 address as {@link #format} writes it: four numbers to 255, no leading zero. */
    static boolean isCanonicalIpv4(String text) {
        int length = text.length();
        if (length < 7 || length > 15) {
            return false;
        }
        int parts = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= length; i++) {
            char c = i < length ? text.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || value > 255 || (digits > 1 && text.charAt(i - digits) == '0')) {
                    return false;
                }
                parts++;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < 3) {
                value = value * 10 + (c - '0');
                digits++;
            } else {
                return false;
            }
        }
        return parts == 4;
    }

    static String format(byte[] bytes) {
        if (bytes.length == 4) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    private static String withoutZone(String text) {
        String trimmed = text.trim();
        if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
            trimmed = trimmed.substring(1, trimmed.length() - 1);
        }
        int zone = trimmed.indexOf('%');
        return zone < 0 ? trimmed : trimmed.substring(0, zone);
    }
}
