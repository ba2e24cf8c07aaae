package dev.tollgate.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * The upstream of the gateway benchmark: a small JSON answer on every path, one verticle per core.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.tollgate.bench.Upstream PORT}
 */
public final class Upstream extends VerticleBase {

    private static final Buffer BODY = Buffer.buffer("{\"message\":\"hello from the upstream\"}");

    private final int port;

    private Upstream(int port) {
        this.port = port;
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx.vertx()
                .deployVerticle(
                        () -> new Upstream(port),
                        new DeploymentOptions()
                                .setInstances(Runtime.getRuntime().availableProcessors()))
                .onSuccess(id -> System.out.println("upstream on " + port))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }

    @Override
    public Future<?> start() {
        return vertx.createHttpServer()
                .requestHandler(request -> request.response()
                        .putHeader("Content-Type", "application/json")
                        .end(BODY))
                .listen(port, "127.0.0.1");
    }
}
