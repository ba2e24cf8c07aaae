package dev.tollgate.examples.embedded;

import dev.tollgate.core.Rule;
import dev.tollgate.core.Tollgate;
import dev.tollgate.store.memory.MemoryEventStore;
import dev.tollgate.web.Dashboard;
import dev.tollgate.web.DashboardOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A Vert.x Web application of its own, with Tollgate inside: its routes {@code GET /hello} (never limited) and
 * {@code GET /api/items} (5 requests a minute per client address), and Tollgate's staff dashboard under
 * {@code /ratelimit/}, all on one router and one port. Tollgate records every decision on {@code /api/} in the
 * memory event store, and the dashboard reports them.
 *
 * <p>Run it with {@code java -jar target/tollgate-example-embedded-VERSION.jar [PORT]}; the port is the argument,
 * else the environment variable {@code PORT}, else {@value #DEFAULT_PORT}. See this module's README.md.
 */
public final class EmbeddedApp {

    /** The port {@link #main} listens on when neither the argument nor {@code PORT} names one. */
    public static final int DEFAULT_PORT = 8080;
    /** Requests a minute that one client address may send to {@code /api/}. */
    public static final int API_LIMIT = 5;

    // a demo: only this machine can reach it
    private static final String HOST = "127.0.0.1";
    private static final Logger LOG = Logger.getLogger(EmbeddedApp.class.getName());

    private final Vertx vertx;
    private final HttpServer server;
    private final MemoryEventStore store;

    private EmbeddedApp(Vertx vertx, HttpServer server, MemoryEventStore store) {
        this.vertx = vertx;
        this.server = server;
        this.store = store;
    }

    /**
     * Starts the application on {@code port} (0: a free one) of 127.0.0.1, with the dashboard's accounts in
     * {@code usersFile}. A missing users file is created with the staff account {@code admin}, whose password is
     * written beside it, to {@code tollgate-admin-password.txt}.
     */
    public static Future<EmbeddedApp> start(Vertx vertx, int port, Path usersFile) {
        // Where Tollgate records its decisions. The memory store keeps them on the heap, within a bound on the
        // number of events, until the process ends; store-postgres keeps them in a database instead.
        MemoryEventStore store = MemoryEventStore.create(vertx, Clock.systemUTC());
        // Tollgate itself: the rules, the limiters they need (from limiter-algorithms) and the store. Everything
        // else keeps its default: no trusted proxies, so a client is the address of its connection.
        Tollgate tollgate =
                Tollgate.builder().vertx(vertx).store(store).rules(rules()).build();
        // Its services: the recorder that moves events into the store in batches, the tollgate.limit.check
        // service of the event bus and the live counters the dashboard shows.
        return tollgate.deployServices()
                // The dashboard reads the store through Tollgate and lets in staff accounts of the users file only.
                .compose(v -> Dashboard.create(
                        vertx, tollgate, DashboardOptions.defaults().withUsersFile(usersFile)))
                .compose(dashboard -> vertx.createHttpServer()
                        .requestHandler(router(vertx, tollgate, dashboard))
                        .listen(port, HOST))
                .map(server -> new EmbeddedApp(vertx, server, store));
    }

    /**
     * The rules, here written in code. {@link Rule#fromJson} reads the same keys as the {@code rules} of a
     * configuration file (docs/configuration.md): the sliding-window log counts each client's requests of the
     * last minute exactly, and its {@code key} says who a client is, here its address.
     */
    static List<Rule> rules() {
        return List.of(Rule.fromJson(new JsonObject()
                .put("name", "api")
                .put("path", "/api/*")
                .put("key", "ip")
                .put("algorithm", "sliding-window-log")
                .put("limit", API_LIMIT)
                .put("window", "1m")));
    }

    /** The application's router: its own routes, and Tollgate's handler and dashboard among them. */
    static Router router(Vertx vertx, Tollgate tollgate, Dashboard dashboard) {
        Router router = Router.router(vertx);

        // The dashboard, mounted first: no rate-limit handler stands before it, and it has a sign-in of its own.
        router.route(Dashboard.MOUNT_POINT + "*").subRouter(dashboard.router());

        // A route no Tollgate handler stands before: never limited, never recorded.
        router.get("/hello")
                .handler(ctx -> ctx.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                        .end("Hello from your own application\n"));

        // Every /api/ request meets the rate-limit handler first. Within the limit it adds the X-RateLimit-*
        // headers and hands the request on to the routes below; past it, it answers 429 with Retry-After itself.
        // Which requests count is up to the rules: a request that no rule covers passes untouched.
        router.route("/api/*").handler(tollgate.handler());
        router.get("/api/items")
                .handler(ctx -> ctx.json(new JsonArray()
                        .add(new JsonObject().put("id", 1).put("name", "lamp"))
                        .add(new JsonObject().put("id", 2).put("name", "kettle"))));
        return router;
    }

    /** The port the application listens on. */
    public int port() {
        return server.actualPort();
    }

    /**
     * Stops taking requests, then undeploys Tollgate's services, so that the recorder first writes what it still
     * holds to the store, and closes the store. This application deploys no verticles of its own, so every
     * deployment is Tollgate's. Closing Vert.x is left to the caller.
     */
    public Future<Void> stop() {
        return server.close()
                .transform(v -> Future.join(
                        vertx.deploymentIDs().stream().map(vertx::undeploy).toList()))
                .transform(v -> store.close());
    }

    /**
     * Starts the application on the port of the argument, of {@code PORT} or {@value #DEFAULT_PORT}, with the
     * dashboard's users file {@code tollgate-users.properties} in the working directory; stops it cleanly when the
     * JVM is asked to end (Ctrl+C, SIGTERM).
     */
    public static void main(String[] args) {
        int port;
        try {
            port = port(args, System.getenv("PORT"));
        } catch (IllegalArgumentException e) {
            System.err.println("EmbeddedApp: " + e.getMessage());
            System.exit(2);
            return;
        }
        Vertx vertx = Vertx.vertx();
        EmbeddedApp app;
        try {
            app = start(vertx, port, DashboardOptions.DEFAULT_USERS_FILE).await(1, TimeUnit.MINUTES);
        } catch (Exception e) {
            System.err.println("EmbeddedApp: cannot start on port " + port + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                // one after the other: once Vert.x is closed, no event loop is left to run a
                                // callback chained on the stop
                                app.stop().await(30, TimeUnit.SECONDS);
                                vertx.close().await(30, TimeUnit.SECONDS);
                            } catch (Exception e) {
                                System.err.println("EmbeddedApp: did not stop cleanly: " + e);
                            }
                        },
                        "embedded-app-shutdown"));
        // Vert.x's threads keep the JVM running once main returns
        LOG.info("Listening on http://localhost:" + app.port() + ": try /hello and /api/items; the dashboard is at "
                + "http://localhost:" + app.port() + Dashboard.MOUNT_POINT + "dashboard/");
    }

    /**
     * The port of the first argument, else of {@code fromEnvironment} (the variable {@code PORT}; null when unset),
     * else {@value #DEFAULT_PORT}.
     *
     * @throws IllegalArgumentException naming the value that is not a port
     */
    static int port(String[] args, String fromEnvironment) {
        String given;
        String source;
        if (args.length > 0) {
            given = args[0];
            source = "the argument";
        } else if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            given = fromEnvironment;
            source = "PORT";
        } else {
            return DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(given.trim());
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // answered below, like a number out of range
        }
        throw new IllegalArgumentException(
                source + " '" + given + "' is not a port; give a number from 0 (any free port) to 65535");
    }
}
