package dev.tollgate.examples;

import dev.tollgate.core.spi.KeyResolver;
import dev.tollgate.core.spi.KeyResolverProvider;
import dev.tollgate.plugin.SettingsException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The key kind {@value #NAME}: a rule with {@code key: cookie:session} counts requests by the value of their
 * {@code session} cookie ({@code cookie:session:3f9a…}); a request without it counts by address, as for every kind.
 * Every {@code Cookie} header line is read, as a browser may send several; the first cookie of the name wins.
 */
public final class CookieKeyResolverProvider implements KeyResolverProvider {

    /** The kind's name in rules. */
    public static final String NAME = "cookie";

    /** A cookie name is an HTTP token (RFC 6265). */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public KeyResolver create(String argument) {
        String cookie = argument.trim();
        if (!TOKEN.matcher(cookie).matches()) {
            throw new SettingsException(
                    "", "the key 'cookie' needs a cookie name, as in cookie:session; got '" + argument + "'");
        }
        String prefix = NAME + ":" + cookie + ":";
        return request -> {
            for (String line : request.headers().getAll("Cookie")) {
                Optional<String> value = valueOf(cookie, line);
                if (value.isPresent()) {
                    return Optional.of(prefix + value.get());
                }
            }
            return Optional.empty();
        };
    }

    /** The value of {@code cookie} in one {@code Cookie} header line ({@code a=1; session=xyz}), if it is there. */
    private static Optional<String> valueOf(String cookie, String line) {
        for (String pair : line.split(";", -1)) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).trim().equals(cookie)) {
                String value = pair.substring(equals + 1).trim();
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
