package dev.tollgate.examples.embedded;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.test.support.Await;
import dev.tollgate.web.DashboardUser;
import dev.tollgate.web.UsersFile;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example as its user runs it: on a real socket, asked over HTTP by a client of another Vert.x instance. */
class EmbeddedAppTest {

    @TempDir
    Path dir;

    private Path usersFile;
    private Vertx appVertx;
    private Vertx clientVertx;
    private EmbeddedApp app;
    private WebClient client;

    @BeforeEach
    void start() {
        usersFile = dir.resolve("tollgate-users.properties");
        appVertx = Vertx.vertx();
        clientVertx = Vertx.vertx();
        client = WebClient.create(clientVertx);
        app = await(EmbeddedApp.start(appVertx, 0, usersFile));
    }

    @AfterEach
    void stop() {
        try {
            if (app != null) {
                await(app.stop());
            }
        } finally {
            Await.close(appVertx, clientVertx);
        }
    }

    @Test
    void theApiServesFiveRequestsAMinuteThenAnswers429WithRetryAfter() {
        for (int remaining = EmbeddedApp.API_LIMIT - 1; remaining >= 0; remaining--) {
            HttpResponse<Buffer> served = get("/api/items");
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.bodyAsJsonArray()).hasSize(2);
            assertThat(served.getHeader("X-RateLimit-Limit")).isEqualTo("5");
            assertThat(served.getHeader("X-RateLimit-Remaining")).isEqualTo(Integer.toString(remaining));
        }

        HttpResponse<Buffer> refused = get("/api/items");

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.getHeader("X-RateLimit-Limit")).isEqualTo("5");
        assertThat(refused.getHeader("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(refused.getHeader("X-RateLimit-Reset")).matches("[0-9]+");
        assertThat(Long.parseLong(refused.getHeader("Retry-After"))).isBetween(1L, 60L);
        assertThat(refused.bodyAsString()).isEqualTo("Rate limit exceeded. Please try again later.");

        JsonObject asJson = await(request("/api/items")
                        .putHeader("Accept", "application/json")
                        .send())
                .bodyAsJsonObject();
        assertThat(asJson.getString("error")).isEqualTo("rate_limited");
        assertThat(asJson.getString("rule")).isEqualTo("api");
    }

    @Test
    void helloIsNeitherLimitedNorRecorded() {
        exhaustTheApi();

        for (int i = 0; i < 2 * EmbeddedApp.API_LIMIT; i++) {
            HttpResponse<Buffer> hello = get("/hello");
            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(hello.bodyAsString()).isEqualTo("Hello from your own application\n");
            assertThat(hello.getHeader("X-RateLimit-Limit")).isNull();
        }
        assertThat(get("/api/items").statusCode()).isEqualTo(429);
    }

    @Test
    void theDashboardOnTheSameRouterShowsStaffTheBlockedRequest() throws IOException {
        exhaustTheApi();
        get("/hello");
        String password = adminPassword();

        // the recorder writes events to the store in batches, a moment after the requests
        AtomicReference<JsonObject> summary = new AtomicReference<>();
        Await.until(
                () -> {
                    HttpResponse<Buffer> response = asStaff("/ratelimit/api/summary?days=1", password);
                    assertThat(response.statusCode()).isEqualTo(200);
                    summary.set(response.bodyAsJsonObject());
                    return summary.get().getLong("total") == EmbeddedApp.API_LIMIT + 1;
                },
                "the six /api/ requests in the dashboard's summary",
                Await.CONDITION_LIMIT,
                () -> "last summary: " + summary.get());

        assertThat(summary.get().getLong("allowed")).isEqualTo(EmbeddedApp.API_LIMIT);
        assertThat(summary.get().getLong("blocked")).isEqualTo(1);
        JsonArray offenders = asStaff("/ratelimit/api/offenders", password).bodyAsJsonArray();
        assertThat(offenders).hasSize(1);
        assertThat(offenders.getJsonObject(0).getString("key")).isEqualTo("ip:127.0.0.1");
        assertThat(offenders.getJsonObject(0).getLong("blocked_count")).isEqualTo(1);
        JsonArray rules = asStaff("/ratelimit/api/rules", password).bodyAsJsonArray();
        assertThat(rules).hasSize(1);
        assertThat(rules.getJsonObject(0).getString("rule_name")).isEqualTo("api");
        assertThat(rules.getJsonObject(0).getLong("hits")).isEqualTo(EmbeddedApp.API_LIMIT + 1);
        assertThat(rules.getJsonObject(0).getLong("blocked")).isEqualTo(1);
        assertThat(asStaff("/ratelimit/dashboard/", password).statusCode()).isEqualTo(200);
    }

    @Test
    void theDashboardRefusesAnonymousVisitorsAndWrongPasswords() {
        assertThat(get("/ratelimit/api/summary").statusCode()).isEqualTo(403);
        assertThat(get("/ratelimit/dashboard/").statusCode()).isEqualTo(403);
        assertThat(asStaff("/ratelimit/api/summary", "not the password").statusCode())
                .isEqualTo(403);
        assertThat(get("/ratelimit/login").statusCode()).isEqualTo(200);
    }

    @Test
    void theFirstStartCreatesTheStaffAccountAdminWithItsPasswordBesideTheUsersFile() throws IOException {
        assertThat(UsersFile.at(usersFile).list()).containsExactly(new DashboardUser("admin", true));
        assertThat(adminPassword()).isNotBlank();
    }

    @Test
    void thePortComesFromTheArgumentThenFromPortThenTheDefault() {
        assertThat(EmbeddedApp.port(new String[] {"9090"}, "7070")).isEqualTo(9090);
        assertThat(EmbeddedApp.port(new String[0], "7070")).isEqualTo(7070);
        assertThat(EmbeddedApp.port(new String[0], null)).isEqualTo(EmbeddedApp.DEFAULT_PORT);
        assertThat(EmbeddedApp.port(new String[0], " ")).isEqualTo(EmbeddedApp.DEFAULT_PORT);
        assertThatThrownBy(() -> EmbeddedApp.port(new String[] {"http"}, null))
                .hasMessage("the argument 'http' is not a port; give a number from 0 (any free port) to 65535");
        assertThatThrownBy(() -> EmbeddedApp.port(new String[0], "70000"))
                .hasMessage("PORT '70000' is not a port; give a number from 0 (any free port) to 65535");
    }

    /** Sends one request more than the limit allows, and checks that the last one was refused. */
    private void exhaustTheApi() {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i <= EmbeddedApp.API_LIMIT; i++) {
            statuses.add(get("/api/items").statusCode());
        }
        assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 429);
    }

    /** The password the first start wrote for {@code admin}, as a user reads it from the file. */
    private String adminPassword() throws IOException {
        return Files.readString(UsersFile.at(usersFile).firstPasswordFile(), StandardCharsets.UTF_8)
                .strip();
    }

    private HttpRequest<Buffer> request(String path) {
        return client.get(app.port(), "127.0.0.1", path);
    }

    private HttpResponse<Buffer> get(String path) {
        return await(request(path).send());
    }

    /** {@code path} with the credentials of {@code admin}, as {@code curl -u admin:PASSWORD} sends them. */
    private HttpResponse<Buffer> asStaff(String path, String password) {
        String credentials = Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        return await(
                request(path).putHeader("Authorization", "Basic " + credentials).send());
    }
}
