package dev.tollgate.core;

import dev.tollgate.core.spi.KeyResolverProvider;
import dev.tollgate.core.spi.KeyResolverProviderContract;
import io.vertx.core.MultiMap;
import java.util.Optional;
import org.junit.jupiter.api.Nested;

/** The key kinds Tollgate ships keep the contract of every key resolver. */
class KeyResolversContractTest {

    /** A kind without an argument: {@code ip}, {@code user}, {@code path}. */
    abstract static class BareKind extends KeyResolverProviderContract {
        @Override
        protected String argument() {
            return "";
        }

        @Override
        protected Optional<String> otherArgument() {
            return Optional.empty();
        }
    }

    @Nested
    class Ip extends BareKind {
        @Override
        protected KeyResolverProvider provider() {
            return new KeyResolvers.Ip();
        }

        @Override
        protected Optional<String> refusedArgument() {
            return Optional.of("X-Real-IP");
        }

        @Override
        protected RequestInfo requestWith(String argument, String value) {
            return RequestInfo.of("GET", "/", value);
        }
    }

    @Nested
    class User extends BareKind {
        @Override
        protected KeyResolverProvider provider() {
            return new KeyResolvers.User();
        }

        @Override
        protected Optional<String> refusedArgument() {
            return Optional.of("id");
        }

        @Override
        protected RequestInfo requestWith(String argument, String value) {
            return RequestInfo.of("GET", "/", "203.0.113.5").withUserId(value);
        }
    }

    @Nested
    class Path extends BareKind {
        @Override
        protected KeyResolverProvider provider() {
            return new KeyResolvers.Path();
        }

        @Override
        protected Optional<String> refusedArgument() {
            return Optional.of("/api");
        }

        @Override
        protected RequestInfo requestWith(String argument, String value) {
            return RequestInfo.of("GET", "/" + value, "203.0.113.5");
        }

        @Override
        protected Optional<RequestInfo> requestWithout() {
            return Optional.empty(); // every request has a path
        }
    }

    @Nested
    class Header extends KeyResolverProviderContract {
        @Override
        protected KeyResolverProvider provider() {
            return new KeyResolvers.Header();
        }

        @Override
        protected String argument() {
            return "X-API-Key";
        }

        @Override
        protected Optional<String> otherArgument() {
            return Optional.of("X-Client");
        }

        @Override
        protected Optional<String> refusedArgument() {
            return Optional.of(" ");
        }

        @Override
        protected RequestInfo requestWith(String argument, String value) {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(argument, value);
            return new RequestInfo(
                    "GET", "/", "203.0.113.5", headers, MultiMap.caseInsensitiveMultiMap(), Optional.empty());
        }
    }

    @Nested
    class Query extends KeyResolverProviderContract {
        @Override
        protected KeyResolverProvider provider() {
            return new KeyResolvers.Query();
        }

        @Override
        protected String argument() {
            return "api_key";
        }

        @Override
        protected Optional<String> otherArgument() {
            return Optional.of("client");
        }

        @Override
        protected Optional<String> refusedArgument() {
            return Optional.of("");
        }

        @Override
        protected RequestInfo requestWith(String argument, String value) {
            MultiMap query = MultiMap.caseInsensitiveMultiMap().add(argument, value);
            return new RequestInfo(
                    "GET", "/", "203.0.113.5", MultiMap.caseInsensitiveMultiMap(), query, Optional.empty());
        }
    }
}
