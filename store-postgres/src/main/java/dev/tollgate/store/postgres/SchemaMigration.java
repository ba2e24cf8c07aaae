package dev.tollgate.store.postgres;

import io.vertx.pgclient.PgConnectOptions;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Brings a schema up to the store's layout with Flyway, over JDBC. Blocking: run it on a worker thread,
 * once per {@code open}. Flyway's own lock makes concurrent openings from several nodes safe.
 */
final class SchemaMigration {

    /** Where the migrations live on the class path. */
    static final String LOCATION = "classpath:db/tollgate";
    /** The store's own history table, so that it can share a schema with an application's Flyway. */
    static final String HISTORY_TABLE = "tollgate_schema_history";

    private static final int LOGIN_TIMEOUT_SECONDS = 30;

    private final PostgresStoreOptions options;

    SchemaMigration(PostgresStoreOptions options) {
        this.options = options;
    }

    /** Creates the schema when missing and applies the pending migrations; answers how many ran. */
    int migrate() {
        MigrateResult result = Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(dataSource())
                .schemas(options.schema())
                .defaultSchema(options.schema())
                .createSchemas(true)
                .table(HISTORY_TABLE)
                // a schema that already holds an application's tables gets the store's tables beside them
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .locations(LOCATION)
                .failOnMissingLocations(true)
                .load()
                .migrate();
        return result.migrationsExecuted;
    }

    private PGSimpleDataSource dataSource() {
        PgConnectOptions connect = options.connectOptions();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {connect.getHost()});
        dataSource.setPortNumbers(new int[] {connect.getPort()});
        dataSource.setDatabaseName(connect.getDatabase());
        dataSource.setUser(connect.getUser());
        if (connect.getPassword() != null && !connect.getPassword().isEmpty()) {
            dataSource.setPassword(connect.getPassword());
        }
        int seconds = (int) Math.max(1, options.connectTimeout().toSeconds());
        dataSource.setConnectTimeout(seconds);
        // the server has just answered the reactive client, so a slow login here is load, not absence
        dataSource.setLoginTimeout(Math.max(LOGIN_TIMEOUT_SECONDS, seconds));
        dataSource.setApplicationName("tollgate-migration");
        return dataSource;
    }
}
