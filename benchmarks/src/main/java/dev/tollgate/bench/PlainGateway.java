package dev.tollgate.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.proxy.handler.ProxyHandler;
import io.vertx.httpproxy.HttpProxy;

/**
 * The peer of the gateway benchmark: the same Vert.x Web route and reverse proxy as {@code tollgate
 * serve}, one verticle and event loop per core, without Tollgate's handler.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.tollgate.bench.PlainGateway PORT UPSTREAM_PORT}
 */
public final class PlainGateway extends VerticleBase {

    private final int port;
    private final int upstreamPort;

    private PlainGateway(int port, int upstreamPort) {
        this.port = port;
        this.upstreamPort = upstreamPort;
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int upstreamPort = Integer.parseInt(args[1]);
        int cores = Runtime.getRuntime().availableProcessors();
        // as tollgate serve: one event loop per verticle
        Vertx.vertx(new VertxOptions().setEventLoopPoolSize(cores))
                .deployVerticle(() -> new PlainGateway(port, upstreamPort), new DeploymentOptions().setInstances(cores))
                .onSuccess(id -> System.out.println("plain gateway on " + port))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }

    @Override
    public Future<?> start() {
        HttpProxy proxy = HttpProxy.reverseProxy(
                        vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(64)))
                .origin(upstreamPort, "127.0.0.1");
        Router router = Router.router(vertx);
        router.route().handler(ProxyHandler.create(proxy));
        return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1");
    }
}
