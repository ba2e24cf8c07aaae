package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;

/** Runs statements on the local PostgreSQL's {@code postgres} database, as the superuser: creating and dropping test databases. */
final class PostgresAdmin {

    private PostgresAdmin() {}

    static void run(Vertx vertx, String sql) {
        Pool pool = PgBuilder.pool()
                .connectingTo(new PgConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(5432)
                        .setUser("postgres")
                        .setDatabase("postgres"))
                .using(vertx)
                .build();
        try {
            await(pool.query(sql).execute());
        } finally {
            await(pool.close());
        }
    }
}
