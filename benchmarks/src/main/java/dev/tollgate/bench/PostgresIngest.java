package dev.tollgate.bench;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreRegistry;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.plugin.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.postgresql.PGConnection;

/**
 * Event ingest into the PostgreSQL store next to two peers loading the same rows into copies of the store's own
 * events table (same columns, indexes and constraints, {@code LIKE events INCLUDING ALL}), in one run against one
 * database:
 *
 * <ul>
 *   <li><b>store</b> — the store's appends (batches of 1,000, four in flight on four connections, as four nodes'
 *       recorders would), timed until the last append is acknowledged, and again until the rollups have taken in
 *       every event (the store folds them in the background);
 *   <li><b>INSERT</b> — the same batches as bare multi-row {@code INSERT … SELECT FROM unnest(…)} statements through
 *       the same client, the same number in flight, without any rollup;
 *   <li><b>COPY</b> — the same rows in one {@code COPY … FROM STDIN} on one connection.
 * </ul>
 *
 * <p>Events carry one of 40 user agents, served ones an upstream status and latency, as the gateway records them.
 * Each way loads into empty tables of its own (a schema per way and round, dropped after the round). With more than
 * one round the order of the three turns round by round (store, INSERT, COPY; then INSERT, COPY, store; ...), so
 * that none is always first on a cold database or last on a busy one, and the medians of the rounds are reported:
 * of each rate, and of each round's ratios. Between two ways the benchmark vacuums and analyses the database and
 * takes a checkpoint, untimed, so that no way pays for the autovacuum or the checkpoint of another's rows.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.tollgate.bench.PostgresIngest DATABASE [events]
 * [batch size] [in flight] [fold interval] [rounds]}; the database must exist and be empty. With a fold interval of 0
 * the store folds only when the benchmark waits for the rollups, after the last append.
 */
public final class PostgresIngest {

    private static final String COLUMNS =
            "ts, key, rule_name, path, method, allowed, count, \"limit\", ip_address, user_id, shadow, user_agent,"
                    + " upstream_status, upstream_latency_us";
    private static final List<String> AGENTS = IntStream.range(0, 40)
            .mapToObj(i -> "Mozilla/5.0 (compatible; client-" + i + "/1." + i + ")")
            .toList();

    private PostgresIngest() {}

    public static void main(String[] args) throws Exception {
        // a failure would leave the Vert.x threads running
        try {
            run(args);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    /** The three ways of loading the rows, in the order of a run's first round; later rounds rotate it. */
    private enum Way {
        STORE,
        INSERT,
        COPY
    }

    /** What one round measured: seconds per way, and until the store's rollups held every event. */
    private record Round(double storeSeconds, double foldedSeconds, double insertSeconds, double copySeconds) {}

    private static void run(String[] args) throws Exception {
        String database = args[0];
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        int inFlightMost = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        String foldInterval = args.length > 4 ? args[4] : "250ms";
        int rounds = args.length > 5 ? Integer.parseInt(args[5]) : 1;
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
        }
        String jdbcUrl = "jdbc:postgresql://127.0.0.1:5432/" + database;
        List<RateLimitEvent> rows = rows(events);
        String csv = csv(rows);
        Vertx vertx = Vertx.vertx();
        // the store's tables, made by its own migration, as the template of the peers' tables
        await(openStore(vertx, database, inFlightMost, foldInterval, "template").compose(EventStore::close));
        Pool pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(inFlightMost))
                .connectingTo(new PgConnectOptions()
                        .setHost("127.0.0.1")
                        .setDatabase(database)
                        .setUser("postgres")
                        .setCachePreparedStatements(true))
                .using(vertx)
                .build();
        List<Round> measured = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Map<Way, Double> seconds = new EnumMap<>(Way.class);
            double folded = 0;
            List<Way> order = new ArrayList<>(List.of(Way.values()));
            Collections.rotate(order, -(round - 1));
            for (Way way : order) {
                String schema = schema(way, round);
                switch (way) {
                    case STORE -> {
                        EventStore store = await(openStore(vertx, database, inFlightMost, foldInterval, schema));
                        long started = System.nanoTime();
                        load(rows, batchSize, inFlightMost, store::append);
                        seconds.put(way, seconds(started));
                        // a query takes in whatever the background folds have not yet
                        await(store.trafficSummary(1));
                        waitUntilFolded(jdbcUrl, schema);
                        folded = seconds(started);
                        await(store.close());
                    }
                    case INSERT -> {
                        emptyEventsTable(jdbcUrl, schema);
                        String insert = "INSERT INTO " + schema + ".events (" + COLUMNS + ") SELECT * FROM"
                                + " unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[],"
                                + " $6::boolean[], $7::bigint[], $8::bigint[], $9::text[], $10::text[],"
                                + " $11::boolean[], $12::text[], $13::int[], $14::bigint[])";
                        long started = System.nanoTime();
                        load(
                                rows,
                                batchSize,
                                inFlightMost,
                                batch -> pool.preparedQuery(insert)
                                        .execute(tuple(batch))
                                        .mapEmpty());
                        seconds.put(way, seconds(started));
                    }
                    case COPY -> {
                        emptyEventsTable(jdbcUrl, schema);
                        try (Connection jdbc = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
                            long started = System.nanoTime();
                            jdbc.unwrap(PGConnection.class)
                                    .getCopyAPI()
                                    .copyIn(
                                            "COPY " + schema + ".events (" + COLUMNS + ") FROM STDIN (FORMAT csv)",
                                            new StringReader(csv));
                            seconds.put(way, seconds(started));
                        }
                    }
                }
                // untimed: the work a load leaves behind (vacuuming and analysing its tables, writing its pages out)
                // done now, not by autovacuum or a checkpoint in the middle of the next way's load
                execute(jdbcUrl, "VACUUM (ANALYZE)", "CHECKPOINT");
            }
            Round result = new Round(seconds.get(Way.STORE), folded, seconds.get(Way.INSERT), seconds.get(Way.COPY));
            measured.add(result);
            if (rounds > 1) {
                System.out.printf(
                        "round %d (%s): store %,.0f events/s (caught up %,.0f), INSERT %,.0f rows/s, COPY %,.0f"
                                + " rows/s; store / INSERT %.2f, store / COPY %.2f%n",
                        round,
                        order.stream().map(Way::name).collect(Collectors.joining(", ")),
                        events / result.storeSeconds(),
                        events / result.foldedSeconds(),
                        events / result.insertSeconds(),
                        events / result.copySeconds(),
                        result.insertSeconds() / result.storeSeconds(),
                        result.copySeconds() / result.storeSeconds());
            }
            // each round on tables as empty as the first round's
            int dropped = round;
            execute(
                    jdbcUrl,
                    Arrays.stream(Way.values())
                            .map(way -> "DROP SCHEMA " + schema(way, dropped) + " CASCADE")
                            .toArray(String[]::new));
        }
        await(pool.close());
        await(vertx.close());
        Round median = new Round(
                median(measured, Round::storeSeconds),
                median(measured, Round::foldedSeconds),
                median(measured, Round::insertSeconds),
                median(measured, Round::copySeconds));
        String of = rounds > 1 ? " (median of " + rounds + " rounds)" : "";
        System.out.printf(
                "store append:  %,d events in %.2f s = %,.0f events/s (rollups caught up after %.2f s = %,.0f"
                        + " events/s)%s%n",
                events,
                median.storeSeconds(),
                events / median.storeSeconds(),
                median.foldedSeconds(),
                events / median.foldedSeconds(),
                of);
        System.out.printf(
                "bare INSERT:   %,d rows   in %.2f s = %,.0f rows/s%s%n",
                events, median.insertSeconds(), events / median.insertSeconds(), of);
        System.out.printf(
                "COPY:          %,d rows   in %.2f s = %,.0f rows/s%s%n",
                events, median.copySeconds(), events / median.copySeconds(), of);
        // the ratios of each round, their median: not the ratio of the medians, which may come from different rounds
        System.out.printf(
                "ratio store / INSERT: %.2f, store / COPY: %.2f (caught up: %.2f, %.2f)%n",
                median(measured, r -> r.insertSeconds() / r.storeSeconds()),
                median(measured, r -> r.copySeconds() / r.storeSeconds()),
                median(measured, r -> r.insertSeconds() / r.foldedSeconds()),
                median(measured, r -> r.copySeconds() / r.foldedSeconds()));
    }

    /** The schema that {@code way} loads into in {@code round}. */
    private static String schema(Way way, int round) {
        return way.name().toLowerCase(Locale.ROOT) + "_" + round;
    }

    /** A schema holding an empty copy of the store's events table (columns, indexes, constraints). */
    private static void emptyEventsTable(String jdbcUrl, String schema) throws SQLException {
        execute(
                jdbcUrl,
                "CREATE SCHEMA " + schema,
                "CREATE TABLE " + schema + ".events (LIKE template.events INCLUDING ALL)");
    }

    private static Future<EventStore> openStore(
            Vertx vertx, String database, int poolSize, String foldInterval, String schema) {
        return EventStoreRegistry.fromServiceLoader()
                .create(
                        "postgres",
                        vertx,
                        Settings.of(
                                "events.postgres",
                                new JsonObject()
                                        .put("url", "postgresql://postgres@127.0.0.1:5432/" + database)
                                        .put("poolSize", poolSize)
                                        .put("schema", schema)
                                        .put("foldInterval", foldInterval)),
                        Clock.systemUTC());
    }

    private static void execute(String jdbcUrl, String... statements) throws SQLException {
        try (Connection jdbc = DriverManager.getConnection(jdbcUrl, "postgres", "");
                Statement statement = jdbc.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static double median(List<Round> rounds, ToDoubleFunction<Round> figure) {
        double[] values = rounds.stream().mapToDouble(figure).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /** Sends {@code rows} in batches, at most {@code inFlightMost} at once. */
    private static void load(
            List<RateLimitEvent> rows,
            int batchSize,
            int inFlightMost,
            Function<List<RateLimitEvent>, Future<Void>> append) {
        List<Future<Void>> inFlight = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += batchSize) {
            inFlight.add(append.apply(rows.subList(from, Math.min(rows.size(), from + batchSize))));
            if (inFlight.size() == inFlightMost) {
                await(Future.all(inFlight));
                inFlight.clear();
            }
        }
        await(Future.all(inFlight));
    }

    /** Waits until no appended event awaits the rollups (a store that keeps none waiting returns at once). */
    private static void waitUntilFolded(String jdbcUrl, String schema) throws SQLException, InterruptedException {
        try (Connection jdbc = DriverManager.getConnection(jdbcUrl, "postgres", "");
                Statement query = jdbc.createStatement()) {
            try (ResultSet rows = query.executeQuery("SELECT to_regclass('" + schema + ".unfolded') IS NULL")) {
                rows.next();
                if (rows.getBoolean(1)) {
                    return;
                }
            }
            while (true) {
                try (ResultSet rows = query.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM " + schema + ".unfolded)")) {
                    rows.next();
                    if (rows.getBoolean(1)) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
    }

    private static Tuple tuple(List<RateLimitEvent> events) {
        int n = events.size();
        Object[][] columns = new Object[14][];
        columns[0] = new Long[n];
        columns[1] = new String[n];
        columns[2] = new String[n];
        columns[3] = new String[n];
        columns[4] = new String[n];
        columns[5] = new Boolean[n];
        columns[6] = new Long[n];
        columns[7] = new Long[n];
        columns[8] = new String[n];
        columns[9] = new String[n];
        columns[10] = new Boolean[n];
        columns[11] = new String[n];
        columns[12] = new Integer[n];
        columns[13] = new Long[n];
        for (int i = 0; i < n; i++) {
            RateLimitEvent e = events.get(i);
            columns[0][i] = e.timestamp().toEpochMilli();
            columns[1][i] = e.key();
            columns[2][i] = e.ruleName();
            columns[3][i] = e.path();
            columns[4][i] = e.method();
            columns[5][i] = e.allowed();
            columns[6][i] = e.count();
            columns[7][i] = e.limit();
            columns[10][i] = e.shadow();
            columns[11][i] = e.userAgent().orElse(null);
            columns[12][i] = e.upstreamStatus().isPresent() ? e.upstreamStatus().getAsInt() : null;
            columns[13][i] = e.upstreamLatency().isPresent() ? e.upstreamLatencyMicros() : null;
        }
        return Tuple.from(columns);
    }

    private static String csv(List<RateLimitEvent> rows) {
        StringBuilder csv = new StringBuilder(rows.size() * 120);
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
                    .append(',');
            e.userAgent()
                    .ifPresent(agent ->
                            csv.append('"').append(agent.replace("\"", "\"\"")).append('"'));
            csv.append(',');
            if (e.upstreamStatus().isPresent()) {
                csv.append(e.upstreamStatus().getAsInt()).append(',').append(e.upstreamLatencyMicros());
            } else {
                csv.append(',');
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    private static List<RateLimitEvent> rows(int events) {
        SplittableRandom random = new SplittableRandom(11);
        long start = Instant.now().toEpochMilli() - 3_600_000L;
        List<RateLimitEvent> rows = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            int key = random.nextInt(50_000);
            boolean allowed = random.nextInt(5) != 0;
            RateLimitEvent.Builder event = RateLimitEvent.builder()
                    .timestamp(Instant.ofEpochMilli(start + i * 3_600_000L / events))
                    .key("ip:10." + (key >> 16 & 255) + "." + (key >> 8 & 255) + "." + (key & 255))
                    .ruleName("rule-" + random.nextInt(8))
                    .path("/api/items/" + random.nextInt(100))
                    .method("GET")
                    .allowed(allowed)
                    .count(1)
                    .limit(100)
                    .userAgent(AGENTS.get(random.nextInt(AGENTS.size())));
            if (allowed) {
                event.upstreamStatus(random.nextInt(20) == 0 ? 503 : 200)
                        .upstreamLatency(Duration.ofNanos(1_000_000L + random.nextLong(499_000_000L)));
            }
            rows.add(event.build());
        }
        return rows;
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
