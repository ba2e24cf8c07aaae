package dev.tollgate.limiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.limiter.spi.LimiterProvider;
import io.vertx.core.Future;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LimiterRegistryTest {

    /** A provider of this test tree: admits everything, so only the wiring is under test. */
    private record OpenProvider(String algorithm, String backend) implements LimiterProvider {
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
                .isInstanceOf(LimiterException.class)
                .hasMessage("unknown algorithm 'closed' for backend 'local'; known: a-open, b-open");
    }

    @Test
    void anUnknownBackendListsTheKnownOnes() {
        LimiterRegistry registry = LimiterRegistry.empty().register(new OpenProvider("open", "local"));
        assertThatThrownBy(() -> registry.provider("open", "redis"))
                .hasMessage("unknown limiter backend 'redis'; known: local");
        assertThatThrownBy(() -> LimiterRegistry.empty().provider("open", "local"))
                .hasMessage("unknown limiter backend 'local'; known: (none; is a limiter module on the classpath?)");
    }

    @Test
    void theApiModuleAloneShipsNoProviders() {
        assertThat(LimiterRegistry.fromServiceLoader().backends()).isEmpty();
    }
}
