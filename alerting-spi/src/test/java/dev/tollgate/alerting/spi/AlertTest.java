package dev.tollgate.alerting.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AlertTest {

    @Test
    void theTimeIsKeptToTheMillisecond() {
        Alert alert =
                new Alert("test", Instant.parse("2026-03-15T12:34:56.789999Z"), "subject", "text", new JsonObject());

        assertThat(alert.time()).isEqualTo(Instant.parse("2026-03-15T12:34:56.789Z"));
    }

    @Test
    void theBodyCannotBeChangedFromOutside() {
        JsonObject body = new JsonObject().put("n", 1);
        Alert alert = new Alert("test", Instant.EPOCH, "subject", "text", body);

        body.put("n", 2);
        alert.body().put("n", 3);

        assertThat(alert.body()).isEqualTo(new JsonObject().put("n", 1));
    }

    @Test
    void theBusMessageIsTheTypeThenTheBodyWhoseOwnTypeGivesWay() {
        Alert alert = new Alert(
                Alert.TRAFFIC_HIGH,
                Instant.EPOCH,
                "subject",
                "text",
                new JsonObject().put("type", "other").put("hits", 12));

        assertThat(alert.toJson().encode()).isEqualTo("{\"type\":\"traffic-high\",\"hits\":12}");
    }

    @Test
    void anAlertHasAType() {
        assertThatThrownBy(() -> new Alert("", Instant.EPOCH, "subject", "text", new JsonObject()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an alert has a type");
    }
}
