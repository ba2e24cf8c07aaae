package dev.tollgate.limiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.limiter.spi.LimiterProvider;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Future;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LimiterRegistryTest {

    /** A provider of this test tree: admits everything, so only the wiring is under test. */
    private record OpenProvider(String name, String backend) implements LimiterProvider {
        @Override
        public RateLimiter create(LimitSpec spec, LimiterOptions options) {
            return new RateLimiter() {
                @Override
                public LimitSpec spec() {
                    return spec;
                }

                @Override
                public Future<Decision> acquire(String key, long permits) {
                    return Future.succeededFuture(new Decision(true, spec.limit(), spec.limit(), 0, 0, 0));
                }

                @Override
                public Future<Decision> peek(String key) {
                    return acquire(key, 1);
                }

                @Override
                public Future<Void> reset(String key) {
                    return Future.succeededFuture();
                }
            };
        }
    }

    @Test
    void findsExplicitlyRegisteredProvidersByAlgorithmAndBackend() {
        LimiterRegistry registry = LimiterRegistry.empty()
                .register(new OpenProvider("open", "local"))
                .register(new OpenProvider("open", "remote"));
        assertThat(registry.backends()).containsExactly("local", "remote");
        assertThat(registry.find("open", "remote")).isPresent();
        assertThat(registry.find("open", "elsewhere")).isEmpty();
        RateLimiter limiter =
                registry.create(LimitSpec.of("open", 3, Duration.ofSeconds(1)), "local", LimiterOptions.defaults());
        assertThat(limiter.spec().limit()).isEqualTo(3);
    }

    @Test
    void aLaterRegistrationReplacesAnEarlierOne() {
        OpenProvider second = new OpenProvider("open", "local");
        LimiterRegistry registry = LimiterRegistry.empty()
                .register(new OpenProvider("open", "local"))
                .register(second);
        assertThat(registry.provider("open", "local")).isSameAs(second);
    }

    @Test
    void anUnknownAlgorithmListsTheKnownOnes() {
        LimiterRegistry registry = LimiterRegistry.empty()
                .register(new OpenProvider("b-open", "local"))
                .register(new OpenProvider("a-open", "local"));
        assertThatThrownBy(() -> registry.provider("closed", "local"))
                .isInstanceOfSatisfying(
                        SettingsException.class, e -> assertThat(e.key()).isEmpty())
                .hasMessage("unknown algorithm 'closed' for backend 'local'; known: a-open, b-open");
    }

    @Test
    void aSpecOfAnUnknownAlgorithmIsRefusedAtItsAlgorithmField() {
        LimiterRegistry registry = LimiterRegistry.empty().register(new OpenProvider("open", "local"));
        LimitSpec spec = LimitSpec.of("closed", 3, Duration.ofSeconds(1));
        assertThatThrownBy(() -> registry.create(spec, "local", LimiterOptions.defaults()))
                .isInstanceOfSatisfying(SettingsException.class, e -> {
                    assertThat(e.key()).isEqualTo("algorithm");
                    assertThat(e.problem()).isEqualTo("unknown algorithm 'closed' for backend 'local'; known: open");
                    assertThat(e.under("rules[1]"))
                            .hasMessage(
                                    "rules[1].algorithm: unknown algorithm 'closed' for backend 'local'; known: open");
                });
        assertThatThrownBy(() -> registry.create(spec, "redis", LimiterOptions.defaults()))
                .isInstanceOfSatisfying(
                        SettingsException.class, e -> assertThat(e.key()).isEmpty())
                .hasMessage("unknown limiter backend 'redis'; known: local");
    }

    @Test
    void anUnknownBackendListsTheKnownOnes() {
        LimiterRegistry registry = LimiterRegistry.empty().register(new OpenProvider("open", "local"));
        assertThatThrownBy(() -> registry.provider("open", "redis"))
                .isInstanceOfSatisfying(
                        SettingsException.class, e -> assertThat(e.key()).isEmpty())
                .hasMessage("unknown limiter backend 'redis'; known: local");
        assertThatThrownBy(() -> LimiterRegistry.empty().provider("open", "local"))
                .isInstanceOfSatisfying(
                        SettingsException.class, e -> assertThat(e.key()).isEmpty())
                .hasMessage("unknown limiter backend 'local'; known: (none; is a limiter module on the classpath?)");
    }

    @Test
    void aProviderIsKnownByItsBackendAndName() {
        OpenProvider local = new OpenProvider("open", "local");
        OpenProvider remote = new OpenProvider("open", "remote");
        LimiterRegistry registry = LimiterRegistry.empty().register(local).register(remote);
        assertThat(registry.provider("open", "local")).isSameAs(local);
        assertThat(registry.provider("open", "remote")).isSameAs(remote);
        assertThat(registry.algorithms("remote")).containsExactly("open");
        assertThatThrownBy(() -> registry.register(new OpenProvider(" ", "local")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank name");
        assertThatThrownBy(() -> registry.register(new OpenProvider("open", "")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank backend");
        assertThat(registry.backends()).containsExactly("local", "remote");
    }

    @Test
    void theApiModuleAloneShipsNoProviders() {
        assertThat(LimiterRegistry.fromServiceLoader().backends()).isEmpty();
    }
}
