package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;

import dev.tollgate.test.support.Await;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@code serve} started by a test as the command starts it, from a configuration file, on a Vert.x of its own, and
 * a second Vert.x for what stands around it: the upstream and the clients. Registered with
 * {@code @RegisterExtension}, it stops the server and closes both after each test.
 */
final class ServeUnderTest implements AfterEachCallback {

    private final Vertx peer = Vertx.vertx();
    private final Vertx vertx = Vertx.vertx();
    private Server server;

    /** The Vert.x of the upstream and the clients. */
    Vertx peer() {
        return peer;
    }

    /** The Vert.x {@code serve} runs on. */
    Vertx vertx() {
        return vertx;
    }

    /** An upstream on a free port of 127.0.0.1 that answers with {@code handler}. */
    HttpServer upstream(Handler<HttpServerRequest> handler) {
        return await(peer.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1"));
    }

    /** Starts {@code serve} on the configuration {@code file}, as {@code tollgate serve --config file} does. */
    Server start(Path file) {
        ConfigLoader loader = ServeCommand.loader();
        server = await(Server.start(vertx, loader.load(Optional.of(file), Map.of()), loader, false));
        return server;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (server != null) {
                await(server.stop());
            }
        } finally {
            Await.close(vertx, peer);
        }
    }
}
