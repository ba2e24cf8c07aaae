package dev.tollgate.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The service's options read from a configuration section. */
class EnvoyOptionsTest {

    @Test
    void readsEverySettingAndKeepsTheDefaultsOfTheOthers() {
        EnvoyOptions options = EnvoyOptions.from(Settings.of(
                "decision.envoy",
                new JsonObject()
                        .put("port", 9091)
                        .put("maxMessageBytes", "16kb")
                        .put("maxDescriptors", 8)
                        .put("headers", "ratelimit")
                        .put("failOpen", false)
                        .put("callTimeout", "2s")));

        assertThat(options.port()).isEqualTo(9091);
        assertThat(options.maxMessageBytes()).isEqualTo(16 * 1024);
        assertThat(options.maxDescriptors()).isEqualTo(8);
        assertThat(options.headers()).isEqualTo(EnvoyOptions.Headers.RATELIMIT);
        assertThat(options.failOpen()).isFalse();
        assertThat(options.callTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.maxEntries()).isEqualTo(EnvoyOptions.defaults().maxEntries());
        assertThat(options.host()).isEqualTo("0.0.0.0");
    }

    @Test
    void aBadValueIsNamedInFull() {
        assertThatThrownBy(() -> EnvoyOptions.from(
                        Settings.of("decision.envoy", new JsonObject().put("headers", "x-ratelimit"))))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("decision.envoy.headers: ");
        assertThatThrownBy(
                        () -> EnvoyOptions.from(Settings.of("decision.envoy", new JsonObject().put("maxEntries", 0))))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("decision.envoy.maxEntries: ");
    }
}
