package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Addresses;
import dev.tollgate.core.Tollgate;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.test.support.Await;
import dev.tollgate.test.support.LoopbackHazelcast;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Tollgate node and a node with nothing but Vert.x on one clustered event bus (Hazelcast, loopback): the
 * second reads {@code tollgate.events} and {@code tollgate.events.batches} without any codec of Tollgate's.
 */
class ClusteredEventBodiesTest {

    @TempDir
    Path dir;

    private final String cluster = "tollgate-bodies-" + UUID.randomUUID();
    private Vertx tollgateNode;
    private Vertx plainNode;

    @AfterEach
    void tearDown() {
        Await.close(java.util.stream.Stream.of(tollgateNode, plainNode)
                .filter(v -> v != null)
                .toArray(Vertx[]::new));
    }

    @Test
    void aNodeWithOnlyVertxReadsTheEventsAndTheirBatchesAsJson() throws IOException {
        int tollgatePort = freePort();
        int plainPort = freePort();
        String members = "[\"127.0.0.1:" + tollgatePort + "\", \"127.0.0.1:" + plainPort + "\"]";
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(
                file,
                "cluster: { name: " + cluster + ", host: 127.0.0.1, port: " + tollgatePort + ", members: " + members
                        + " }\n");
        TollgateConfig config = new ConfigLoader(Set.of("memory")).load(Optional.of(file), Map.of());
        tollgateNode = await(ClusterSetup.start(config));
        plainNode = await(Vertx.builder()
                .withClusterManager(
                        new HazelcastClusterManager(LoopbackHazelcast.member(cluster, plainPort, tollgatePort)))
                .buildClustered());

        List<Object> events = new CopyOnWriteArrayList<>();
        List<Object> batches = new CopyOnWriteArrayList<>();
        await(plainNode
                .eventBus()
                .consumer(Addresses.EVENTS, m -> events.add(m.body()))
                .completion());
        await(plainNode
                .eventBus()
                .consumer(Addresses.EVENT_BATCHES, m -> batches.add(m.body()))
                .completion());
        Tollgate tollgate =
                Tollgate.builder().vertx(tollgateNode).rules(List.of()).build();
        RateLimitEvent event = RateLimitEvent.builder()
                .timestamp(Instant.parse("2026-12-06T21:00:00Z"))
                .key("ip:203.0.113.5")
                .ruleName("api")
                .path("/api")
                .method("GET")
                .allowed(false)
                .count(11)
                .limit(10)
                .build();

        // the plain node's subscriptions reach the other node's view of the cluster a moment after they are made
        Await.until(
                () -> {
                    tollgate.publish(event);
                    return !events.isEmpty() && !batches.isEmpty();
                },
                "the plain node to receive an event and a batch");

        assertThat(events.get(0)).isInstanceOf(JsonObject.class).isEqualTo(event.toJson());
        assertThat(((JsonObject) events.get(0)).getBoolean("allowed")).isFalse();
        assertThat(batches.get(0)).isInstanceOf(JsonArray.class).isEqualTo(new JsonArray().add(event.toJson()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
