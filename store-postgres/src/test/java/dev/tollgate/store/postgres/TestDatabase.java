package dev.tollgate.store.postgres;

import static dev.tollgate.test.support.Await.await;

import dev.tollgate.test.support.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A database of its own for one test class on the local PostgreSQL server (127.0.0.1:5432, user
 * {@code postgres}, no password; override with {@code TOLLGATE_TEST_PG_HOST}, {@code _PORT}, {@code _USER}):
 * created before the class's tests, dropped after them. Register it as a static field with
 * {@code @RegisterExtension}.
 */
final class TestDatabase implements BeforeAllCallback, AfterAllCallback {

    static final String HOST = System.getenv().getOrDefault("TOLLGATE_TEST_PG_HOST", "127.0.0.1");
    static final int PORT = Integer.parseInt(System.getenv().getOrDefault("TOLLGATE_TEST_PG_PORT", "5432"));
    static final String USER = System.getenv().getOrDefault("TOLLGATE_TEST_PG_USER", "postgres");

    private final String name =
            "tollgate_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private Vertx vertx;
    private Pool admin;
    private Pool pool;

    @Override
    public void beforeAll(ExtensionContext context) {
        vertx = Vertx.vertx();
        admin = pool("postgres");
        await(admin.query("CREATE DATABASE " + name).execute());
        pool = pool(name);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            await(pool.close());
            await(admin.query("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
                    .execute());
            await(admin.close());
        } finally {
            Await.close(vertx);
        }
    }

    /** The database's name. */
    String name() {
        return name;
    }

    /** The URL of the database, as the store's {@code url} setting takes it. */
    String url() {
        return url(PORT);
    }

    /** The URL of the database as reached through {@code port} on the same host. */
    String url(int port) {
        return "postgresql://" + USER + "@" + HOST + ":" + port + "/" + name;
    }

    /** Runs {@code statement} on the database and answers its rows. */
    List<Row> query(String statement) {
        List<Row> rows = new ArrayList<>();
        RowSet<Row> result = await(pool.query(statement).execute());
        result.forEach(rows::add);
        return rows;
    }

    /** Runs {@code statement} on the database without waiting for it. */
    Future<Void> execute(String statement) {
        return pool.query(statement).execute().mapEmpty();
    }

    /** The single {@code bigint} that {@code statement} answers. */
    long count(String statement) {
        return query(statement).get(0).getLong(0);
    }

    private Pool pool(String database) {
        return PgBuilder.pool()
                .connectingTo(new PgConnectOptions()
                        .setHost(HOST)
                        .setPort(PORT)
                        .setUser(USER)
                        .setDatabase(database))
                .using(vertx)
                .build();
    }
}
