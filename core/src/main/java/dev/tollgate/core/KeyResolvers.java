package dev.tollgate.core;

import dev.tollgate.core.spi.KeyResolver;
import dev.tollgate.core.spi.KeyResolverProvider;
import dev.tollgate.plugin.SettingsException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The key kinds Tollgate ships: {@code ip}, {@code user}, {@code header:NAME}, {@code query:NAME}, {@code path}, and
 * {@code global}, one key for every request a rule covers.
 */
public final class KeyResolvers {

    private KeyResolvers() {}

    /** {@code ip}: the client address, after trusted proxies. */
    public static final class Ip extends Bare {
        public Ip() {
            super("ip");
        }

        @Override
        KeyResolver resolver() {
            return request -> request.clientIp().isEmpty() ? Optional.empty() : Optional.of("ip:" + request.clientIp());
        }
    }

    /** {@code user}: the authenticated user. */
    public static final class User extends Bare {
        public User() {
            super("user");
        }

        @Override
        KeyResolver resolver() {
            return request -> request.userId().map(id -> "user:" + id);
        }
    }

    /** {@code path}: the request path, so each path has its own allowance. */
    public static final class Path extends Bare {
        public Path() {
            super("path");
        }

        @Override
        KeyResolver resolver() {
            return request -> Optional.of("path:" + request.path());
        }
    }

    /**
     * {@code global}: one key, {@value #GLOBAL_KEY}, for every request, so that a rule limits what it covers as a whole
     * (the requests in flight to an upstream, say) rather than per client. The one kind whose keys do not tell
     * clients apart: everyone has the same identity.
     */
    public static final class Global extends Bare {
        /** The one key of the {@code global} kind. */
        public static final String GLOBAL_KEY = "global:all";

        public Global() {
            super("global");
        }

        @Override
        KeyResolver resolver() {
            Optional<String> key = Optional.of(GLOBAL_KEY);
            return request -> key;
        }
    }

    /**
     * {@code header:NAME}: the value of a request header; the name is matched case-insensitively. A header sent
     * on several lines counts as their values joined in order, as HTTP combines them: a second line is part of
     * the key, never ignored.
     */
    public static final class Header extends Named {
        public Header() {
            super("header");
        }

        @Override
        KeyResolver resolver(String name) {
            String prefix = "header:" + name.toLowerCase(Locale.ROOT) + ":";
            return request -> {
                List<String> lines = request.headers().getAll(name);
                String value = lines.size() == 1 ? lines.get(0) : String.join(", ", lines);
                return value.isEmpty() ? Optional.empty() : Optional.of(prefix + value);
            };
        }
    }

    /** {@code query:NAME}: the value of a query parameter; a repeated parameter counts as its values joined in order. */
    public static final class Query extends Named {
        public Query() {
            super("query");
        }

        @Override
        KeyResolver resolver(String name) {
            String prefix = "query:" + name + ":";
            return request -> {
                List<String> values = request.query().getAll(name);
                String value = values.size() == 1 ? values.get(0) : String.join(",", values);
                return value.isEmpty() ? Optional.empty() : Optional.of(prefix + value);
            };
        }
    }

    private abstract static class Bare implements KeyResolverProvider {
        private final String kind;

        Bare(String kind) {
            this.kind = kind;
        }

        @Override
        public String name() {
            return kind;
        }

        @Override
        public KeyResolver create(String argument) {
            if (!argument.isEmpty()) {
                throw new SettingsException("", "the key '" + kind + "' takes no argument; write just '" + kind + "'");
            }
            return resolver();
        }

        abstract KeyResolver resolver();
    }

    private abstract static class Named implements KeyResolverProvider {
        private final String kind;

        Named(String kind) {
            this.kind = kind;
        }

        @Override
        public String name() {
            return kind;
        }

        @Override
        public KeyResolver create(String argument) {
            if (argument.isBlank()) {
                throw new SettingsException("", "the key '" + kind + "' needs a name, as in " + kind + ":X-API-Key");
            }
            return resolver(argument.trim());
        }

        abstract KeyResolver resolver(String name);
    }
}
