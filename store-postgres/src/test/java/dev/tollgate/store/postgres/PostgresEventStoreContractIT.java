package dev.tollgate.store.postgres;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreContract;
import dev.tollgate.events.spi.EventStoreProvider;
import dev.tollgate.plugin.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract suite on the PostgreSQL store, each test on emptied tables of a database of the class's own. */
class PostgresEventStoreContractIT extends EventStoreContract {

    @RegisterExtension
    static final TestDatabase DATABASE = new TestDatabase();

    @Override
    protected Future<EventStore> open(Vertx vertx, Clock clock) {
        return provider()
                .create(
                        vertx,
                        Settings.of(
                                "events.postgres",
                                new JsonObject().put("url", DATABASE.url()).put("connectTimeout", "30s")),
                        clock)
                .compose(store -> DATABASE.execute(
                                "TRUNCATE events, unfolded, alert_marks, rollup_totals, rollup_rules, dashboard_rules,"
                                        + " dashboard_rule_changes, rollup_offender_counts, stored_batches, rollup_upstream,"
                                        + " rollup_blocked_values, rollup_value_overflow RESTART IDENTITY")
                        .map(store));
    }

    @Override
    protected EventStoreProvider provider() {
        return new PostgresEventStoreProvider();
    }
}
