package dev.tollgate.alerting;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.alerting.spi.Alert;
import dev.tollgate.alerting.spi.AlertChannel;
import dev.tollgate.test.support.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AlertChannelsTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void tearDown() {
        Await.close(vertx);
    }

    private static AlertChannel channel(Function<Alert, Future<JsonObject>> send, AtomicInteger closes) {
        return new AlertChannel() {
            @Override
            public Future<JsonObject> send(Alert alert) {
                return send.apply(alert);
            }

            @Override
            public Future<Void> close() {
                closes.incrementAndGet();
                return Future.succeededFuture();
            }
        };
    }

    @Test
    void everyChannelIsTriedAndReportedOnItsOwnInOrder() {
        AtomicInteger closes = new AtomicInteger();
        Map<String, AlertChannel> byName = new LinkedHashMap<>();
        byName.put(
                "throws",
                channel(
                        alert -> {
                            throw new IllegalStateException("boom");
                        },
                        closes));
        byName.put("fails", channel(alert -> Future.failedFuture(new AlertingException("refused")), closes));
        byName.put("silent", channel(alert -> Promise.<JsonObject>promise().future(), closes));
        byName.put("null", channel(alert -> null, closes));
        byName.put("sends", channel(alert -> Future.succeededFuture(new JsonObject().put("status", 204)), closes));
        AlertChannels channels = AlertChannels.of(vertx, byName).withSendBound(Duration.ofMillis(200));

        Map<String, Delivery> deliveries = await(channels.send(AlertChannelRegistryTest.uniqueAlert()));

        assertThat(deliveries.keySet()).containsExactly("throws", "fails", "silent", "null", "sends");
        assertThat(deliveries.get("throws").toJson())
                .isEqualTo(new JsonObject().put("sent", false).put("error", "boom"));
        assertThat(deliveries.get("fails").toJson())
                .isEqualTo(new JsonObject().put("sent", false).put("error", "refused"));
        assertThat(deliveries.get("silent").toJson())
                .isEqualTo(new JsonObject().put("sent", false).put("error", "no answer within 200 ms"));
        assertThat(deliveries.get("null").error()).contains("the channel answered no future");
        assertThat(deliveries.get("sends").toJson())
                .isEqualTo(new JsonObject().put("sent", true).put("status", 204));

        await(channels.close());
        assertThat(closes).hasValue(5);
    }

    @Test
    void noChannelsSendNothingAndSucceed() {
        assertThat(await(AlertChannels.none(vertx).send(AlertChannelRegistryTest.uniqueAlert())))
                .isEmpty();
    }
}
