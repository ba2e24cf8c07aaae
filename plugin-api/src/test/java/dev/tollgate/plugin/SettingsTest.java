package dev.tollgate.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private enum Mode {
        ROUND_ROBIN,
        FIRST
    }

    private final Settings email = Settings.of(
            "alerts.channels.email",
            new JsonObject()
                    .put("from", " ops@example.com ")
                    .put("smtp", new JsonObject().put("port", "0").put("host", "mail.example.com"))
                    .put("to", "a@example.com, b@example.com")
                    .put("timeout", "1m30s")
                    .put("buffer", "64kb")
                    .put("tls", "TRUE")
                    .put("retries", "1_000")
                    .put("mode", "round-robin")
                    .put("headers", new JsonObject().put("X-Team", "ops").put("X-Level", 3)));

    @Test
    void typedGettersReadWhatTheyAreGivenAndDefaultWhatIsAbsent() {
        assertThat(email.text("from")).contains("ops@example.com");
        assertThat(email.text("subject", "Tollgate")).isEqualTo("Tollgate");
        assertThat(email.list("to")).containsExactly("a@example.com", "b@example.com");
        assertThat(email.duration("timeout", Duration.ZERO)).isEqualTo(Duration.ofSeconds(90));
        assertThat(email.duration("absent", Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
        assertThat(email.size("buffer", 1)).isEqualTo(65_536);
        assertThat(email.bool("tls", false)).isTrue();
        assertThat(email.whole("retries", 3, 0, 10_000)).isEqualTo(1_000);
        assertThat(email.choice("mode", Mode.class, Mode.FIRST)).isEqualTo(Mode.ROUND_ROBIN);
        assertThat(email.texts("headers")).containsExactly(Map.entry("X-Team", "ops"), Map.entry("X-Level", "3"));
        assertThat(email.under("smtp").host("host", "localhost")).isEqualTo("mail.example.com");
    }

    @Test
    void everyProblemNamesTheFullKey() {
        assertThatThrownBy(() -> email.under("smtp").port("port", 25))
                .isInstanceOf(SettingsException.class)
                .hasMessage("alerts.channels.email.smtp.port: expected a port between 1 and 65535, got '0'");
        assertThatThrownBy(() -> email.whole("retries", 3, 0, 10))
                .hasMessage("alerts.channels.email.retries: expected a whole number between 0 and 10, got 1000");
        assertThatThrownBy(() -> email.duration("from"))
                .hasMessageStartingWith("alerts.channels.email.from: invalid duration 'ops@example.com'");
        assertThatThrownBy(() -> email.size("from"))
                .hasMessageStartingWith("alerts.channels.email.from: expected a size such as 64mb");
        assertThatThrownBy(() -> email.bool("from", false))
                .hasMessage("alerts.channels.email.from: expected true or false, got ' ops@example.com '");
        assertThatThrownBy(() -> email.under("from"))
                .hasMessageStartingWith("alerts.channels.email.from: expected a group of keys");
        assertThatThrownBy(() -> email.requiredText("subject", "Traffic alert"))
                .hasMessage("alerts.channels.email.subject: required, as in subject: Traffic alert");
        assertThatThrownBy(() -> email.choice("tls", Set.of("on"), "on"))
                .hasMessage("alerts.channels.email.tls: expected one of on, got 'TRUE'");
    }

    @Test
    void numbersAreFinite() {
        Settings numbers = Settings.of(
                "n",
                new JsonObject().put("nan", Double.NaN).put("inf", "Infinity").put("ok", "1_000.5"));
        assertThat(numbers.number("ok", 0)).isEqualTo(1000.5);
        assertThatThrownBy(() -> numbers.number("nan", 0)).hasMessage("n.nan: expected a number, got 'NaN'");
        assertThatThrownBy(() -> numbers.number("inf", 0)).hasMessage("n.inf: expected a number, got 'Infinity'");
    }

    @Test
    void unknownKeysAreRefusedByNameWithTheKnownOnes() {
        assertThatThrownBy(() -> email.under("smtp").requireOnly("SMTP settings", List.of("host", "prot")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("alerts.channels.email.smtp.port: unknown setting of the SMTP settings; known: host, prot");
        assertThat(email.under("smtp").requireOnly("SMTP settings", List.of("host", "port")))
                .isNotNull();
    }

    @Test
    void listsOfGroupsAreNamedByIndex() {
        Settings top = Settings.of(new JsonObject()
                .put(
                        "rules",
                        new JsonArray().add(new JsonObject().put("limit", 5)).add(new JsonObject().put("limit", "x"))));
        List<Settings> rules = top.groups("rules", "{ name: api }");
        assertThat(rules).extracting(Settings::prefix).containsExactly("rules[0]", "rules[1]");
        assertThat(rules.get(0).whole("limit", 0, 1, Long.MAX_VALUE)).isEqualTo(5);
        assertThatThrownBy(() -> rules.get(1).whole("limit", 0, 1, Long.MAX_VALUE))
                .hasMessage("rules[1].limit: expected a whole number, got 'x'");
        assertThatThrownBy(() -> Settings.of(new JsonObject().put("rules", new JsonArray().add(3)))
                        .groups("rules", "{ name: api }"))
                .hasMessage("rules[0]: expected a group of keys such as { name: api }");
    }

    @Test
    void aProblemFoundBeforeItsKeyIsKnownIsPlacedUnderIt() {
        SettingsException bare = new SettingsException("", "unknown kind 'cookie'");
        assertThat(bare.getMessage()).isEqualTo("unknown kind 'cookie'");
        assertThat(bare.under("rules[2].key").getMessage()).isEqualTo("rules[2].key: unknown kind 'cookie'");
        assertThat(new SettingsException("burst", "too big").under("rules[2]").key())
                .isEqualTo("rules[2].burst");
        assertThat(new SettingsException("[1]", "bad").under("rules").key()).isEqualTo("rules[1]");
        assertThat(new SettingsException("http.port", "bad")
                        .at("TOLLGATE_HTTP_PORT")
                        .getMessage())
                .isEqualTo("TOLLGATE_HTTP_PORT: bad");
    }

    @Test
    void urlsAndHostsAreCheckedForTheirForm() {
        Settings hook = Settings.of(
                "hook",
                new JsonObject()
                        .put("url", "ftp://x")
                        .put("ok", "https://hooks.example.com/a")
                        .put("host", "a b"));
        assertThat(hook.url("ok")).contains(URI.create("https://hooks.example.com/a"));
        assertThatThrownBy(() -> hook.url("url"))
                .hasMessage("hook.url: expected an http:// or https:// URL with a host, got 'ftp://x'");
        assertThatThrownBy(() -> hook.host("host", "x"))
                .hasMessage("hook.host: expected a host name or an IP address, got 'a b'");
        assertThat(Settings.of("h", new JsonObject().put("host", "[::1]")).host("host", "x"))
                .isEqualTo("::1");
    }

    @Test
    void readingNeverChangesTheJson() {
        JsonObject json = new JsonObject().put("a", new JsonObject().put("b", 1));
        Settings settings = Settings.of("x", json);
        settings.under("a").whole("b", 0, 0, 9);
        settings.json().put("c", 2);
        assertThat(json.encode()).isEqualTo("{\"a\":{\"b\":1}}");
    }
}
