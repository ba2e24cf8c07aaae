package dev.tollgate.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.events.EventStoreException;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PostgresStoreOptionsTest {

    @Test
    void anEmptySectionTakesEveryDefault() {
        PostgresStoreOptions options = from(new JsonObject());

        assertThat(options).isEqualTo(PostgresStoreOptions.defaults());
        assertThat(options.url()).isEqualTo("postgresql://postgres@127.0.0.1:5432/tollgate");
        assertThat(options.poolSize()).isEqualTo(4);
        assertThat(options.schema()).isEqualTo("public");
        assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(PostgresStoreOptions.from(Settings.empty("events.postgres")))
                .isEqualTo(PostgresStoreOptions.defaults());
    }

    @Test
    void readsEverySetting() {
        PostgresStoreOptions options = from(new JsonObject()
                .put("url", "postgres://app:pw@db.example:6543/events")
                .put("poolSize", 16)
                .put("schema", "tollgate")
                .put("connectTimeout", "750ms")
                .put("foldInterval", "2s"));

        assertThat(options)
                .isEqualTo(new PostgresStoreOptions(
                        "postgres://app:pw@db.example:6543/events",
                        16,
                        "tollgate",
                        Duration.ofMillis(750),
                        Duration.ofSeconds(2)));
        assertThat(options.connectOptions().getHost()).isEqualTo("db.example");
        assertThat(options.connectOptions().getPort()).isEqualTo(6543);
        assertThat(options.connectOptions().getDatabase()).isEqualTo("events");
    }

    @Test
    void connectTimeoutTakesMillisecondsShortDurationsAndIso() {
        assertThat(timeout(2500)).isEqualTo(Duration.ofMillis(2500));
        assertThat(timeout("3s")).isEqualTo(Duration.ofSeconds(3));
        assertThat(timeout("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(timeout("PT0.5S")).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> timeout("soon"))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("events.postgres.connectTimeout: invalid duration 'soon'");
        assertThatThrownBy(() -> timeout(0))
                .isInstanceOf(SettingsException.class)
                .hasMessage("events.postgres.connectTimeout: expected a positive duration of at most"
                        + " 12d10h15m41s823ms, such as 5s, got 0s");
        assertThatThrownBy(() -> timeout("13d"))
                .isInstanceOf(SettingsException.class)
                .hasMessage("events.postgres.connectTimeout: expected a positive duration of at most"
                        + " 12d10h15m41s823ms, such as 5s, got 13d");
    }

    @Test
    void foldIntervalTakesZeroForQueriesOnlyAndAtMostAMinute() {
        assertThat(from(new JsonObject()).foldInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(from(new JsonObject().put("foldInterval", 0)).foldInterval()).isEqualTo(Duration.ZERO);
        assertThat(from(new JsonObject().put("foldInterval", "0s")).foldInterval())
                .isEqualTo(Duration.ZERO);
        assertThat(from(new JsonObject().put("foldInterval", "1m")).foldInterval())
                .isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> from(new JsonObject().put("foldInterval", "61s")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("events.postgres.foldInterval: expected a duration from 0 (fold only before queries) to"
                        + " 1m, such as 250ms, got 1m1s");
        assertThatThrownBy(() -> from(new JsonObject().put("foldInterval", -5)))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("events.postgres.foldInterval: expected a duration from 0");
    }

    @Test
    void aWrongSettingIsNamedByItsFullKeyWithWhatWouldBeValid() {
        assertThatThrownBy(() -> from(new JsonObject().put("poolSize", "many")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("events.postgres.poolSize: expected a whole number, got 'many'");
        assertThatThrownBy(() -> from(new JsonObject().put("poolSize", 0)))
                .isInstanceOf(SettingsException.class)
                .hasMessage("events.postgres.poolSize: expected a whole number between 1 and 2147483647, got 0");
        assertThatThrownBy(() -> from(new JsonObject().put("schema", "Events")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("events.postgres.schema: expected a lower-case SQL identifier (letters, digits, _; at"
                        + " most 63 characters), got 'Events'");
        assertThatThrownBy(() -> from(new JsonObject().put("schema", "x; drop table y")))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("events.postgres.schema: expected a lower-case SQL identifier");
        assertThatThrownBy(() -> from(new JsonObject().put("url", 5432)))
                .isInstanceOf(SettingsException.class)
                .hasMessage(
                        "events.postgres.url: expected a URL such as postgresql://user@host:5432/database, got '5432'");
    }

    @Test
    void anUnknownSettingIsRefusedAsALikelyTypo() {
        assertThatThrownBy(() -> from(new JsonObject().put("pool", 8)))
                .isInstanceOf(SettingsException.class)
                .hasMessage("events.postgres.pool: unknown setting of the PostgreSQL event store; known:"
                        + " connectTimeout, foldInterval, poolSize, schema, url");
    }

    @Test
    void aUrlOfAnotherDatabaseIsRefusedWithoutShowingItsPassword() {
        assertThatThrownBy(() -> from(new JsonObject().put("url", "mysql://root:hunter2@127.0.0.1/tollgate")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("events.postgres.url: expected a URL such as postgresql://user@host:5432/database,"
                        + " got 'mysql://root:***@127.0.0.1/tollgate'")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void optionsBuiltByCodeAreCheckedToo() {
        assertThatThrownBy(() -> new PostgresStoreOptions(
                        PostgresStoreOptions.DEFAULT_URL,
                        0,
                        "public",
                        PostgresStoreOptions.DEFAULT_CONNECT_TIMEOUT,
                        PostgresStoreOptions.DEFAULT_FOLD_INTERVAL))
                .isInstanceOf(EventStoreException.class)
                .hasMessage("postgres store: 'poolSize': expected at least 1, got 0");
        assertThatThrownBy(() -> PostgresStoreOptions.defaults().withSchema("Events"))
                .isInstanceOf(EventStoreException.class)
                .hasMessageStartingWith("postgres store: 'schema': expected a lower-case SQL identifier");
        assertThatThrownBy(() -> PostgresStoreOptions.defaults().withUrl("mysql://root:hunter2@127.0.0.1/x"))
                .isInstanceOf(EventStoreException.class)
                .hasMessageStartingWith("postgres store: 'url': expected a URL such as postgresql://")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void thePasswordNeverAppearsInMessages() {
        PostgresStoreOptions options =
                PostgresStoreOptions.defaults().withUrl("postgresql://tollgate:hunter2@10.1.2.3:5433/events");

        assertThat(options.redactedUrl()).isEqualTo("postgresql://tollgate@10.1.2.3:5433/events");
        assertThat(options.toString()).doesNotContain("hunter2").contains("tollgate:***@10.1.2.3:5433");
    }

    private static PostgresStoreOptions from(JsonObject section) {
        return PostgresStoreOptions.from(Settings.of("events.postgres", section));
    }

    private static Duration timeout(Object value) {
        return from(new JsonObject().put("connectTimeout", value)).connectTimeout();
    }
}
