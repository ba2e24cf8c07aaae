package dev.tollgate.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** The service behind the gateway when no {@code gateway.upstream} is set, so a first run answers something. */
final class DemoUpstream {

    private DemoUpstream() {}

    /** Starts it on a free loopback port and returns the port. */
    static Future<Integer> start(Vertx vertx) {
        return vertx.createHttpServer()
                .requestHandler(request -> request.body()
                        .onComplete(body -> request.response()
                                .putHeader("Content-Type", "application/json")
                                .end(new JsonObject()
                                        .put("message", "Hello from the Tollgate demo upstream")
                                        .put("method", request.method().name())
                                        .put("path", request.path())
                                        .put(
                                                "bytes",
                                                body.succeeded() ? body.result().length() : 0)
                                        .encode())))
                .listen(0, "127.0.0.1")
                .map(server -> server.actualPort());
    }
}
