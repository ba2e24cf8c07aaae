package dev.tollgate.alerting;

import static dev.tollgate.test.support.Await.await;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on the loopback interface that records what is posted to it and answers with a status
 * of the test's choice, or never answers at all.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived. */
    public record Request(String method, String uri, MultiMap headers, Buffer body) {

        /** The body read as JSON. */
        public JsonObject json() {
            return new JsonObject(body);
        }

        /** The header {@code name}, any case; null when absent. */
        public String header(String name) {
            return headers.get(name);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile boolean silent;

    private WebhookReceiver(Vertx vertx) {
        this.server = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    requests.add(new Request(
                            request.method().name(),
                            request.uri(),
                            MultiMap.caseInsensitiveMultiMap().addAll(request.headers()),
                            body.copy()));
                    if (!silent) {
                        request.response().setStatusCode(status).end();
                    }
                }));
    }

    /** A receiver listening on an ephemeral port of 127.0.0.1, answering 200. */
    public static WebhookReceiver start(Vertx vertx) {
        WebhookReceiver receiver = new WebhookReceiver(vertx);
        await(receiver.server.listen(0, "127.0.0.1"));
        return receiver;
    }

    /** Answers {@code status} from now on. */
    public WebhookReceiver answering(int status) {
        this.status = status;
        this.silent = false;
        return this;
    }

    /** Records requests and never answers them. */
    public WebhookReceiver silent() {
        this.silent = true;
        return this;
    }

    public int port() {
        return server.actualPort();
    }

    /** {@code http://127.0.0.1:PORT/hook}. */
    public String url() {
        return "http://127.0.0.1:" + port() + "/hook";
    }

    /** Every request so far, in arrival order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        await(server.close());
    }
}
