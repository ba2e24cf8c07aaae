package dev.tollgate.app;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * Simulated clients for a first look at the dashboard: a crowd of well-behaved clients making a
 * request every few seconds, and a few abusive ones hammering the API and the login. Each client
 * has its own address, sent in {@code X-Forwarded-For} (loopback is trusted while this runs).
 */
final class DemoTraffic {

    private static final Logger LOG = Logger.getLogger(DemoTraffic.class.getName());
    private static final List<String> PATHS =
            List.of("/api/users", "/api/orders", "/api/products/7", "/api/search?q=tea", "/", "/about");
    private static final int POLITE = 20;
    private static final int ABUSIVE = 3;

    private final Vertx vertx;
    private final int port;
    private final WebClient client;

    DemoTraffic(Vertx vertx, int port) {
        this.vertx = vertx;
        this.port = port;
        this.client = WebClient.create(vertx);
    }

    void start() {
        LOG.info("demo traffic: " + POLITE + " polite clients and " + ABUSIVE + " abusive ones against port " + port);
        vertx.setPeriodic(100, id -> tick());
    }

    private void tick() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < POLITE; i++) {
            if (random.nextInt(30) == 0) {
                send(HttpMethod.GET, PATHS.get(random.nextInt(PATHS.size())), "198.51.100." + (10 + i));
            }
        }
        for (int i = 0; i < ABUSIVE; i++) {
            String address = "203.0.113." + (66 + i);
            send(HttpMethod.GET, PATHS.get(random.nextInt(3)), address);
            if (random.nextInt(3) == 0) {
                send(HttpMethod.POST, "/api/login", address);
            }
        }
    }

    private void send(HttpMethod method, String path, String address) {
        client.request(method, port, "127.0.0.1", path)
                .putHeader("X-Forwarded-For", address)
                .putHeader("Accept", "application/json")
                .send();
    }
}
