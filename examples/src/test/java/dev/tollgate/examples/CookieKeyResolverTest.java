package dev.tollgate.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.RequestInfo;
import dev.tollgate.core.spi.KeyResolverProvider;
import dev.tollgate.core.spi.KeyResolverProviderContract;
import io.vertx.core.MultiMap;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The cookie key kind proves itself with the key-resolver contract suite, as every kind does. */
class CookieKeyResolverTest extends KeyResolverProviderContract {

    @Override
    protected KeyResolverProvider provider() {
        return new CookieKeyResolverProvider();
    }

    @Override
    protected String argument() {
        return "session";
    }

    @Override
    protected Optional<String> otherArgument() {
        return Optional.of("team");
    }

    @Override
    protected Optional<String> refusedArgument() {
        return Optional.of("a b");
    }

    @Override
    protected RequestInfo requestWith(String argument, String value) {
        return request(MultiMap.caseInsensitiveMultiMap().add("Cookie", "theme=dark; " + argument + "=" + value));
    }

    @Test
    void everyCookieLineIsReadAndTheFirstCookieOfTheNameWins() {
        var resolver = provider().create("session");
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Cookie", "theme=dark")
                .add("cookie", "session=abc; session=def");
        assertThat(resolver.resolve(request(headers))).contains("cookie:session:abc");
        assertThat(resolver.resolve(request(MultiMap.caseInsensitiveMultiMap().add("Cookie", "xsession=abc"))))
                .isEmpty();
    }

    private static RequestInfo request(MultiMap headers) {
        return new RequestInfo(
                "GET", "/", "203.0.113.5", headers, MultiMap.caseInsensitiveMultiMap(), Optional.empty());
    }
}
