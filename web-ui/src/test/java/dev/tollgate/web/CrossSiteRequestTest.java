package dev.tollgate.web;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Tollgate;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests that change something — signing in and out, and whatever comes later — come from the
 * dashboard's own origin and carry the session's token; HTTP Basic needs no token.
 */
class CrossSiteRequestTest {

    @TempDir
    Path dir;

    private TestDashboard dashboard;

    @BeforeEach
    void start() {
        dashboard = TestDashboard.start(dir, List.of());
    }

    @AfterEach
    void stop() {
        dashboard.close();
    }

    private String own() {
        return "http://127.0.0.1:" + dashboard.port();
    }

    private static MultiMap credentials(String token) {
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
                .add("username", TestDashboard.STAFF)
                .add("password", TestDashboard.STAFF_PASSWORD)
                .add("next", "/ratelimit/dashboard/");
        return token == null ? form : form.add("_csrf", token);
    }

    private HttpRequest<Buffer> post(String path, TestDashboard.SignIn session) {
        HttpRequest<Buffer> request = dashboard.request(HttpMethod.POST, path);
        return session == null ? request : request.putHeader("Cookie", session.cookie());
    }

    private static HttpResponse<Buffer> send(HttpRequest<Buffer> request, MultiMap form) {
        return await(request.sendForm(form));
    }

    private TestDashboard.SignIn signedIn() {
        return dashboard.signedIn();
    }

    private int status(TestDashboard.SignIn session) {
        return await(dashboard
                        .anonymous("/ratelimit/api/summary")
                        .putHeader("Cookie", session.cookie())
                        .send())
                .statusCode();
    }

    @Test
    void aSignInWithoutTheTokenOfItsOwnSessionIsRefused() {
        TestDashboard.SignIn form = dashboard.loginForm();
        TestDashboard.SignIn other = dashboard.loginForm();
        for (HttpResponse<Buffer> forged : List.of(
                send(post("/ratelimit/login", null), credentials(form.token())),
                send(post("/ratelimit/login", form), credentials(null)),
                send(
                        post("/ratelimit/login", form),
                        credentials((form.token().startsWith("x") ? "y" : "x")
                                + form.token().substring(1))),
                send(post("/ratelimit/login", form), credentials(other.token())),
                send(post("/ratelimit/login", form), credentials("")))) {
            assertThat(forged.statusCode()).isEqualTo(403);
            assertThat(forged.bodyAsJsonObject().getString("error")).startsWith("cross-site request refused");
            assertThat(forged.cookies()).noneMatch(c -> c.startsWith(Dashboard.SESSION_COOKIE + "="));
        }
        HttpResponse<Buffer> browser =
                send(post("/ratelimit/login", null).putHeader("Accept", "text/html"), credentials(form.token()));
        assertThat(browser.statusCode()).isEqualTo(403);
        assertThat(browser.bodyAsString())
                .contains(
                        "This request did not come from the dashboard",
                        "id=\"sign-in-link\" href=\"/ratelimit/login\"");

        assertThat(send(post("/ratelimit/login", form), credentials(form.token()))
                        .statusCode())
                .isEqualTo(303);
        // the token may also come as a header, as htmx sends it
        assertThat(send(post("/ratelimit/login", other).putHeader("X-CSRF-Token", other.token()), credentials(null))
                        .statusCode())
                .isEqualTo(303);
    }

    @Test
    void signingOutNeedsTheSessionsTokenWhichSigningInRenewed() {
        TestDashboard.SignIn form = dashboard.loginForm();
        HttpResponse<Buffer> login = send(post("/ratelimit/login", form), credentials(form.token()));
        String setCookie = login.cookies().stream()
                .filter(c -> c.startsWith(Dashboard.SESSION_COOKIE + "="))
                .findFirst()
                .orElseThrow();
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        TestDashboard.SignIn session = new TestDashboard.SignIn(
                cookie,
                TestDashboard.token(await(dashboard
                                .anonymous("/ratelimit/dashboard/")
                                .putHeader("Cookie", cookie)
                                .send())
                        .bodyAsString()));
        assertThat(session.token()).isNotEqualTo(form.token());

        MultiMap empty = MultiMap.caseInsensitiveMultiMap();
        assertThat(send(post("/ratelimit/logout", session), empty).statusCode()).isEqualTo(403);
        assertThat(send(
                                post("/ratelimit/logout", session),
                                MultiMap.caseInsensitiveMultiMap().add("_csrf", form.token()))
                        .statusCode())
                .isEqualTo(403);
        assertThat(send(post("/ratelimit/logout", session).putHeader("X-CSRF-Token", "forged"), empty)
                        .statusCode())
                .isEqualTo(403);
        assertThat(status(session)).as("still signed in").isEqualTo(200);

        HttpResponse<Buffer> out =
                send(post("/ratelimit/logout", session).putHeader("X-CSRF-Token", session.token()), empty);
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(status(session)).isEqualTo(403);
    }

    @Test
    void aForeignOriginOrRefererIsRefusedEvenWithTheRightToken() {
        TestDashboard.SignIn session = signedIn();
        MultiMap token = MultiMap.caseInsensitiveMultiMap().add("_csrf", session.token());
        for (String[] header : new String[][] {
            {"Origin", "http://evil.example"},
            {"Origin", "null"},
            {"Origin", "https://127.0.0.1:" + dashboard.port() + ".evil.example"},
            {"Origin", "http://127.0.0.1:" + (dashboard.port() + 1)},
            {"Origin", "http://127.0.0.1"},
            {"Referer", "http://evil.example/ratelimit/dashboard/"},
            {"Referer", "http://127.0.0.1:" + dashboard.port() + "@evil.example/"}
        }) {
            HttpResponse<Buffer> forged =
                    send(post("/ratelimit/logout", session).putHeader(header[0], header[1]), token);
            assertThat(forged.statusCode()).as(header[0] + ": " + header[1]).isEqualTo(403);
            TestDashboard.SignIn form = dashboard.loginForm();
            HttpResponse<Buffer> login =
                    send(post("/ratelimit/login", form).putHeader(header[0], header[1]), credentials(form.token()));
            assertThat(login.statusCode()).as(header[0] + ": " + header[1]).isEqualTo(403);
        }
        assertThat(status(session)).as("still signed in").isEqualTo(200);

        // the request's own host, by Origin or by Referer, whatever the case of its name
        TestDashboard.SignIn form = dashboard.loginForm();
        assertThat(send(post("/ratelimit/login", form).putHeader("Origin", own()), credentials(form.token()))
                        .statusCode())
                .isEqualTo(303);
        form = dashboard.loginForm();
        assertThat(send(
                                post("/ratelimit/login", form).putHeader("Referer", own() + "/ratelimit/login?next=x"),
                                credentials(form.token()))
                        .statusCode())
                .isEqualTo(303);
        HttpResponse<Buffer> out = send(
                post("/ratelimit/logout", session)
                        .virtualHost("LOCALHOST")
                        .putHeader("Origin", "http://localhost:" + dashboard.port()),
                token);
        assertThat(out.statusCode()).isEqualTo(303);
    }

    @Test
    void httpBasicNeedsNoTokenButAForeignOriginIsStillRefused() {
        HttpRequest<Buffer> basic =
                TestDashboard.basic(post("/ratelimit/logout", null), TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD);
        assertThat(send(basic, MultiMap.caseInsensitiveMultiMap()).statusCode()).isEqualTo(303);
        assertThat(send(basic.copy().putHeader("Origin", "http://evil.example"), MultiMap.caseInsensitiveMultiMap())
                        .statusCode())
                .isEqualTo(403);
        assertThat(send(basic.copy().putHeader("Origin", own()), MultiMap.caseInsensitiveMultiMap())
                        .statusCode())
                .isEqualTo(303);
        // what a method other than POST would reach is guarded the same way
        HttpResponse<Buffer> delete = await(TestDashboard.basic(
                        dashboard.request(HttpMethod.DELETE, "/ratelimit/api/summary"),
                        TestDashboard.STAFF,
                        TestDashboard.STAFF_PASSWORD)
                .putHeader("Origin", "http://evil.example")
                .send());
        assertThat(delete.statusCode()).isEqualTo(403);
        TestDashboard.SignIn session = signedIn();
        assertThat(await(dashboard
                                .request(HttpMethod.PUT, "/ratelimit/api/summary")
                                .putHeader("Cookie", session.cookie())
                                .send())
                        .statusCode())
                .isEqualTo(403);
        assertThat(await(dashboard
                                .request(HttpMethod.PUT, "/ratelimit/api/summary")
                                .putHeader("Cookie", session.cookie())
                                .putHeader("X-CSRF-Token", session.token())
                                .send())
                        .statusCode())
                .as("past the guards: no such route")
                .isEqualTo(404);
    }

    @Test
    void behindATrustedProxyTheForwardedHostIsTheBrowsersOrigin(@TempDir Path own) {
        try (TestDashboard proxied = TestDashboard.start(
                own,
                List.of(),
                Tollgate.builder().trustedProxies(List.of("127.0.0.1")),
                DashboardOptions.defaults(),
                (r, t) -> {})) {
            TestDashboard.SignIn form = proxied.loginForm();
            HttpResponse<Buffer> login = await(proxied.request(HttpMethod.POST, "/ratelimit/login")
                    .putHeader("Cookie", form.cookie())
                    .putHeader("Origin", "https://dash.example.com")
                    .putHeader("X-Forwarded-Host", "dash.example.com")
                    .sendForm(credentials(form.token())));
            assertThat(login.statusCode()).isEqualTo(303);
            form = proxied.loginForm();
            assertThat(await(proxied.request(HttpMethod.POST, "/ratelimit/login")
                                    .putHeader("Cookie", form.cookie())
                                    .putHeader("Origin", "https://dash.example.com")
                                    .putHeader("X-Forwarded-Host", "other.example.com")
                                    .sendForm(credentials(form.token())))
                            .statusCode())
                    .isEqualTo(403);
        }
        // from a peer that is no trusted proxy, X-Forwarded-Host is not believed
        TestDashboard.SignIn form = dashboard.loginForm();
        assertThat(send(
                                post("/ratelimit/login", form)
                                        .putHeader("Origin", "https://dash.example.com")
                                        .putHeader("X-Forwarded-Host", "dash.example.com"),
                                credentials(form.token()))
                        .statusCode())
                .isEqualTo(403);
    }
}
