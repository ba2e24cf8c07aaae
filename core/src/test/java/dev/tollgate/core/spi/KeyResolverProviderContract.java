package dev.tollgate.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.RequestInfo;
import dev.tollgate.plugin.SettingsException;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link KeyResolverProvider} keeps. A provider's test extends this class and says how to make its
 * provider, an argument it takes, and requests that carry the identity it reads and that do not.
 */
public abstract class KeyResolverProviderContract {

    /** A fresh provider. */
    protected abstract KeyResolverProvider provider();

    /** An argument the provider takes ({@code X-API-Key}), or the empty string for a kind without arguments. */
    protected abstract String argument();

    /** A second argument that names another identity, or empty for a kind without arguments. */
    protected abstract Optional<String> otherArgument();

    /** An argument {@link KeyResolverProvider#create} refuses, if there is one. */
    protected abstract Optional<String> refusedArgument();

    /**
     * A request carrying {@code value} as the identity the resolver made for {@code argument} reads; for a
     * kind without arguments, {@code argument} is empty.
     */
    protected abstract RequestInfo requestWith(String argument, String value);

    /**
     * A request without the identity the resolver reads: by default one with no address, headers, query or user;
     * empty for a kind every request has (the path).
     */
    protected Optional<RequestInfo> requestWithout() {
        return Optional.of(RequestInfo.of("GET", "/", ""));
    }

    @Test
    void theNameIsConstantAndLowerCase() {
        KeyResolverProvider provider = provider();
        assertThat(provider.name()).isNotBlank().isEqualTo(provider.name().toLowerCase(Locale.ROOT));
        assertThat(provider().name()).isEqualTo(provider.name());
    }

    @Test
    void keysStartWithTheNameAndAColon() {
        KeyResolver resolver = provider().create(argument());
        assertThat(resolver.resolve(requestWith(argument(), "alice")))
                .hasValueSatisfying(key -> assertThat(key).startsWith(provider().name() + ":"));
    }

    @Test
    void differentIdentitiesGetDifferentKeys() {
        KeyResolver resolver = provider().create(argument());
        assertThat(resolver.resolve(requestWith(argument(), "alice")))
                .isNotEqualTo(resolver.resolve(requestWith(argument(), "bob")));
    }

    @Test
    void differentArgumentsNeverShareAKey() {
        Optional<String> other = otherArgument();
        if (other.isEmpty()) {
            return;
        }
        KeyResolver first = provider().create(argument());
        KeyResolver second = provider().create(other.get());
        assertThat(first.resolve(requestWith(argument(), "same")))
                .isPresent()
                .isNotEqualTo(second.resolve(requestWith(other.get(), "same")));
    }

    @Test
    void aRequestWithoutTheIdentityHasNoKey() {
        KeyResolver resolver = provider().create(argument());
        requestWithout()
                .ifPresent(request -> assertThat(resolver.resolve(request)).isEmpty());
    }

    @Test
    void hostileValuesAreKeysNotFailures() {
        KeyResolver resolver = provider().create(argument());
        for (String value : new String[] {"x".repeat(100_000), "a\u0000b\r\nc", "\u202e\ud83d\ude00", ":::"}) {
            assertThatCode(() -> resolver.resolve(requestWith(argument(), value)))
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void aRefusedArgumentIsAnUnkeyedSettingsProblemSayingWhatToWrite() {
        Optional<String> refused = refusedArgument();
        if (refused.isEmpty()) {
            return;
        }
        assertThatThrownBy(() -> provider().create(refused.get()))
                .isInstanceOfSatisfying(SettingsException.class, e -> {
                    assertThat(e.key()).isEmpty();
                    assertThat(e.problem()).contains(provider().name());
                });
    }
}
