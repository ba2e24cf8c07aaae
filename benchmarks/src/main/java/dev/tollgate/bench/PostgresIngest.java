package dev.tollgate.bench;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreRegistry;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.plugin.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;

/**
 * Event ingest into the PostgreSQL store next to {@code COPY} of the same rows into a plain table with
 * the same columns and indexes, in one run against one database: the store's appends (batches of
 * 1,000, four in flight) keep its rollups up to date in the same statements; COPY only loads rows.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.tollgate.bench.PostgresIngest DATABASE [events]};
 * the database must exist and be empty.
 */
public final class PostgresIngest {

    private PostgresIngest() {}

    public static void main(String[] args) throws Exception {
        String database = args[0];
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        int inFlightMost = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        List<RateLimitEvent> rows = rows(events);
        Vertx vertx = Vertx.vertx();
        EventStore store = await(EventStoreRegistry.fromServiceLoader()
                .create(
                        "postgres",
                        vertx,
                        Settings.of(
                                "events.postgres",
                                new JsonObject()
                                        .put("url", "postgresql://postgres@127.0.0.1:5432/" + database)
                                        .put("poolSize", inFlightMost)),
                        Clock.systemUTC()));
        long started = System.nanoTime();
        List<Future<Void>> inFlight = new ArrayList<>();
        for (int from = 0; from < events; from += batchSize) {
            inFlight.add(store.append(rows.subList(from, Math.min(events, from + batchSize))));
            if (inFlight.size() == inFlightMost) {
                await(Future.all(inFlight));
                inFlight.clear();
            }
        }
        await(Future.all(inFlight));
        double storeSeconds = (System.nanoTime() - started) / 1e9;
        await(store.close());
        await(vertx.close());

        double copySeconds;
        try (Connection jdbc =
                DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "")) {
            try (Statement ddl = jdbc.createStatement()) {
                ddl.execute(
                        "CREATE TABLE copied (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, ts bigint NOT NULL,"
                                + " key text COLLATE \"C\" NOT NULL, rule_name text COLLATE \"C\" NOT NULL, path text COLLATE \"C\" NOT NULL,"
                                + " method text NOT NULL, allowed boolean NOT NULL, count bigint NOT NULL, \"limit\" bigint NOT NULL,"
                                + " ip_address text, user_id text, shadow boolean NOT NULL)");
                ddl.execute("CREATE INDEX ON copied (ts, id)");
                ddl.execute("CREATE INDEX ON copied (key, ts, id)");
                ddl.execute("CREATE INDEX ON copied (allowed, ts)");
            }
            StringBuilder csv = new StringBuilder(events * 80);
            for (RateLimitEvent e : rows) {
                csv.append(e.timestamp().toEpochMilli())
                        .append(',')
                        .append(e.key())
                        .append(',')
                        .append(e.ruleName())
                        .append(',')
                        .append(e.path())
                        .append(',')
                        .append(e.method())
                        .append(',')
                        .append(e.allowed())
                        .append(',')
                        .append(e.count())
                        .append(',')
                        .append(e.limit())
                        .append(",,,")
                        .append(e.shadow())
                        .append('\n');
            }
            long copyStarted = System.nanoTime();
            jdbc.unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn(
                            "COPY copied (ts, key, rule_name, path, method, allowed,"
                                    + " count, \"limit\", ip_address, user_id, shadow) FROM STDIN (FORMAT csv)",
                            new StringReader(csv.toString()));
            copySeconds = (System.nanoTime() - copyStarted) / 1e9;
        }
        System.out.printf(
                "store append: %,d events in %.2f s = %,.0f events/s%n", events, storeSeconds, events / storeSeconds);
        System.out.printf(
                "COPY:         %,d rows   in %.2f s = %,.0f rows/s%n", events, copySeconds, events / copySeconds);
        System.out.printf("ratio store / COPY: %.2f%n", copySeconds / storeSeconds);
    }

    private static List<RateLimitEvent> rows(int events) {
        SplittableRandom random = new SplittableRandom(11);
        long start = Instant.now().toEpochMilli() - 3_600_000L;
        List<RateLimitEvent> rows = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            int key = random.nextInt(50_000);
            rows.add(RateLimitEvent.builder()
                    .timestamp(Instant.ofEpochMilli(start + i * 3_600_000L / events))
                    .key("ip:10." + (key >> 16 & 255) + "." + (key >> 8 & 255) + "." + (key & 255))
                    .ruleName("rule-" + random.nextInt(8))
                    .path("/api/items/" + random.nextInt(100))
                    .method("GET")
                    .allowed(random.nextInt(5) != 0)
                    .count(1)
                    .limit(100)
                    .build());
        }
        return rows;
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
