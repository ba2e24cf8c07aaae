package dev.tollgate.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.events.EventStoreException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PostgresStoreOptionsTest {

    @Test
    void anEmptySectionTakesEveryDefault() {
        PostgresStoreOptions options = PostgresStoreOptions.fromJson(new JsonObject());

        assertThat(options).isEqualTo(PostgresStoreOptions.defaults());
        assertThat(options.url()).isEqualTo("postgresql://postgres@127.0.0.1:5432/tollgate");
        assertThat(options.poolSize()).isEqualTo(4);
        assertThat(options.schema()).isEqualTo("public");
        assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(PostgresStoreOptions.fromJson(null)).isEqualTo(PostgresStoreOptions.defaults());
    }

    @Test
    void readsEverySetting() {
        PostgresStoreOptions options = PostgresStoreOptions.fromJson(new JsonObject()
                .put("url", "postgres://app:pw@db.example:6543/events")
                .put("poolSize", 16)
                .put("schema", "tollgate")
                .put("connectTimeout", "750ms"));

        assertThat(options)
                .isEqualTo(new PostgresStoreOptions(
                        "postgres://app:pw@db.example:6543/events", 16, "tollgate", Duration.ofMillis(750)));
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
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("'connectTimeout'");
        assertThatThrownBy(() -> timeout(0))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("'connectTimeout'");
    }

    @Test
    void aWrongSettingIsNamedWithWhatWouldBeValid() {
        assertThatThrownBy(() -> PostgresStoreOptions.fromJson(new JsonObject().put("poolSize", "many")))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("'poolSize' must be a whole number");
        assertThatThrownBy(() -> PostgresStoreOptions.fromJson(new JsonObject().put("poolSize", 0)))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("'poolSize' must be at least 1");
        assertThatThrownBy(() -> PostgresStoreOptions.fromJson(new JsonObject().put("schema", "Events")))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("'schema' must be a lower-case");
        assertThatThrownBy(() -> PostgresStoreOptions.fromJson(new JsonObject().put("schema", "x; drop table y")))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("'schema'");
        assertThatThrownBy(() -> PostgresStoreOptions.fromJson(new JsonObject().put("url", 5432)))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("'url'");
    }

    @Test
    void aUrlOfAnotherDatabaseIsRefusedWithoutShowingItsPassword() {
        assertThatThrownBy(() -> PostgresStoreOptions.fromJson(
                        new JsonObject().put("url", "mysql://root:hunter2@127.0.0.1/tollgate")))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("'url' must look like postgresql://")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void thePasswordNeverAppearsInMessages() {
        PostgresStoreOptions options =
                PostgresStoreOptions.defaults().withUrl("postgresql://tollgate:hunter2@10.1.2.3:5433/events");

        assertThat(options.redactedUrl()).isEqualTo("postgresql://tollgate@10.1.2.3:5433/events");
        assertThat(options.toString()).doesNotContain("hunter2").contains("tollgate:***@10.1.2.3:5433");
    }

    private static Duration timeout(Object value) {
        return PostgresStoreOptions.fromJson(new JsonObject().put("connectTimeout", value))
                .connectTimeout();
    }
}
