package dev.tollgate.web;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Tollgate;
import dev.tollgate.test.support.Await;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staff only: the form login with its session cookie (ended by a removed account, a lost role or a new
 * password), HTTP Basic, and 403 for everyone else on every route.
 */
class StaffAccessTest {

    @TempDir
    Path dir;

    private TestDashboard dashboard;

    @BeforeEach
    void start() {
        dashboard = TestDashboard.start(dir, TestDashboard.exampleLog());
    }

    @AfterEach
    void stop() {
        dashboard.close();
    }

    private HttpResponse<Buffer> send(HttpRequest<Buffer> request) {
        return await(request.send());
    }

    private HttpResponse<Buffer> send(HttpRequest<Buffer> request, String body) {
        return await(request.sendBuffer(Buffer.buffer(body)));
    }

    private HttpResponse<Buffer> login(String user, String password, String next) {
        return dashboard.login(user, password, next);
    }

    private static String sessionCookie(HttpResponse<Buffer> response) {
        return response.cookies().stream()
                .filter(c -> c.startsWith(Dashboard.SESSION_COOKIE + "="))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie in " + response.cookies()));
    }

    private static String loginCookie(HttpResponse<Buffer> response) {
        return response.cookies().stream()
                .filter(c -> c.startsWith(Dashboard.LOGIN_COOKIE + "="))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no sign-in token cookie in " + response.cookies()));
    }

    private static String cookieValue(String setCookie) {
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    /** One request per route of the dashboard's router, with what it takes to reach the route. */
    private List<HttpRequest<Buffer>> everyRoute(Set<String> paths) {
        List<HttpRequest<Buffer>> requests = new ArrayList<>();
        for (Route route : dashboard.dashboardRouter.getRoutes()) {
            String path =
                    route.getPath() == null ? "/anything/else" : route.getPath().replace(":name", "htmx.min.js");
            if (path.equals("/login")) {
                continue;
            }
            paths.add(path);
            Set<HttpMethod> methods = route.methods() == null || route.methods().isEmpty()
                    ? Set.of(HttpMethod.GET, HttpMethod.POST)
                    : route.methods();
            for (HttpMethod method : methods) {
                requests.add(dashboard.request(method, "/ratelimit" + path + "?key=user:42&days=3"));
            }
        }
        return requests;
    }

    @Test
    void everyRouteButTheLoginFormRefusesAnonymousAndNonStaffRequests() {
        Set<String> paths = new TreeSet<>();
        List<HttpRequest<Buffer>> requests = everyRoute(paths);
        assertThat(paths)
                .contains(
                        "/dashboard/",
                        "/dashboard/offenders.csv",
                        "/dashboard/offender/",
                        "/api/summary",
                        "/api/offenders",
                        "/api/rules",
                        "/api/timeseries",
                        "/api/openapi.json",
                        "/dashboard/events",
                        "/dashboard/log/",
                        "/dashboard/log/event",
                        "/logout",
                        "/static/htmx.min.js",
                        "/anything/else");
        for (HttpRequest<Buffer> request : requests) {
            HttpResponse<Buffer> anonymous = send(request);
            assertThat(anonymous.statusCode())
                    .as("anonymous " + request.method() + " " + request.uri())
                    .isEqualTo(403);
            HttpResponse<Buffer> viewer =
                    send(TestDashboard.basic(request.copy(), TestDashboard.VIEWER, TestDashboard.VIEWER_PASSWORD));
            assertThat(viewer.statusCode())
                    .as("non-staff " + request.method() + " " + request.uri())
                    .isEqualTo(403);
            HttpResponse<Buffer> browser = send(request.copy().putHeader("Accept", "text/html"));
            assertThat(browser.statusCode()).isEqualTo(403);
        }
    }

    @Test
    void aRefusedBrowserIsShownWhereToSignInAndAScriptGetsJson() {
        HttpResponse<Buffer> browser = send(dashboard
                .anonymous("/ratelimit/dashboard/?days=30")
                .putHeader("Accept", "text/html,application/xhtml+xml"));
        assertThat(browser.statusCode()).isEqualTo(403);
        assertThat(browser.getHeader("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(browser.bodyAsString())
                .contains("href=\"/ratelimit/login?next=%2Fratelimit%2Fdashboard%2F%3Fdays%3D30\"");
        HttpResponse<Buffer> script = send(dashboard.anonymous("/ratelimit/api/summary"));
        assertThat(script.statusCode()).isEqualTo(403);
        assertThat(script.bodyAsJsonObject().getString("error")).startsWith("staff only");
    }

    @Test
    void theLoginFormIsOpenToEveryoneAndCarriesTheTokenOfItsCookieWithoutASession() {
        HttpResponse<Buffer> form = send(dashboard.anonymous("/ratelimit/login?next=/ratelimit/dashboard/log/"));
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.getHeader("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(form.bodyAsString())
                .contains(
                        "<form class=\"login\" method=\"post\" action=\"/ratelimit/login\">",
                        "name=\"next\" value=\"/ratelimit/dashboard/log/\"");
        assertThat(form.cookies())
                .as("no session for an anonymous form")
                .noneMatch(c -> c.startsWith(Dashboard.SESSION_COOKIE + "="));
        String cookie = cookieValue(loginCookie(form));
        String token = TestDashboard.token(form.bodyAsString());
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(cookie).isEqualTo(Dashboard.LOGIN_COOKIE + "=" + token);

        // the same browser keeps its token; another browser has its own
        HttpResponse<Buffer> again =
                send(dashboard.anonymous("/ratelimit/login").putHeader("Cookie", cookie));
        assertThat(TestDashboard.token(again.bodyAsString())).isEqualTo(token);
        assertThat(TestDashboard.token(
                        send(dashboard.anonymous("/ratelimit/login")).bodyAsString()))
                .isNotEqualTo(token);
    }

    @Test
    void aStaffLoginSetsAnHttpOnlyStrictSessionCookieThatOpensEveryPageUntilLogout() {
        HttpResponse<Buffer> login =
                login(TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD, "/ratelimit/dashboard/?days=30");
        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.getHeader("Location")).isEqualTo("/ratelimit/dashboard/?days=30");
        String setCookie = sessionCookie(login);
        assertThat(setCookie)
                .containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict")
                .contains("Path=/ratelimit")
                .doesNotContainIgnoringCase("Secure");
        String cookie = cookieValue(setCookie);

        HttpResponse<Buffer> page =
                send(dashboard.anonymous("/ratelimit/dashboard/").putHeader("Cookie", cookie));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.bodyAsString()).contains("<span id=\"signed-in-as\">ops</span>");
        assertThat(send(dashboard.anonymous("/ratelimit/api/summary").putHeader("Cookie", cookie))
                        .statusCode())
                .isEqualTo(200);

        // the sign-out form carries the session's token, which signing in renewed
        String token = TestDashboard.token(page.bodyAsString());
        assertThat(page.bodyAsString())
                .contains(
                        "<form method=\"post\" action=\"/ratelimit/logout\" id=\"sign-out\">",
                        "<body hx-headers=\"{&#34;X-CSRF-Token&#34;: &#34;" + token + "&#34;}\">");
        HttpResponse<Buffer> logout = send(
                dashboard
                        .request(HttpMethod.POST, "/ratelimit/logout")
                        .putHeader("Cookie", cookie)
                        .putHeader("Content-Type", "application/x-www-form-urlencoded"),
                "_csrf=" + token);
        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(logout.getHeader("Location")).isEqualTo("/ratelimit/login");
        assertThat(send(dashboard.anonymous("/ratelimit/dashboard/").putHeader("Cookie", cookie))
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void aWrongPasswordAnUnknownUserAndANonStaffAccountCannotSignIn() {
        for (String[] attempt : new String[][] {
            {TestDashboard.STAFF, "nope"},
            {"nobody", "nope"},
            {TestDashboard.VIEWER, TestDashboard.VIEWER_PASSWORD},
            {"", ""}
        }) {
            HttpResponse<Buffer> response = login(attempt[0], attempt[1], "/ratelimit/dashboard/");
            assertThat(response.statusCode()).as(attempt[0]).isEqualTo(403);
            assertThat(response.bodyAsString()).contains("id=\"login-error\"");
            assertThat(response.cookies()).noneMatch(c -> c.startsWith(Dashboard.SESSION_COOKIE + "="));
        }
    }

    @Test
    void signingInNeverRedirectsOutsideTheDashboard() {
        for (String next : List.of(
                "https://evil.example/",
                "//evil.example/",
                "/ratelimit//evil.example",
                "/elsewhere",
                "/ratelimit/login",
                "")) {
            HttpResponse<Buffer> login = login(TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD, next);
            assertThat(login.getHeader("Location")).as(next).isEqualTo("/ratelimit/dashboard/");
        }
    }

    @Test
    void removingAnAccountOrItsStaffRoleTakesEffectWhileTheServerRuns() {
        String cookie = cookieValue(
                sessionCookie(login(TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD, "/ratelimit/dashboard/")));
        HttpRequest<Buffer> withCookie =
                dashboard.anonymous("/ratelimit/api/summary").putHeader("Cookie", cookie);
        assertThat(send(withCookie).statusCode()).isEqualTo(200);

        dashboard.users.add(
                TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD.toCharArray(), false, TestDashboard.TEST_ITERATIONS);
        Await.until(() -> send(withCookie.copy()).statusCode() == 403, "the demoted account refused");

        dashboard.users.add("newcomer", "fresh password".toCharArray(), true, TestDashboard.TEST_ITERATIONS);
        Await.until(
                () -> send(TestDashboard.basic(
                                        dashboard.anonymous("/ratelimit/api/rules"), "newcomer", "fresh password"))
                                .statusCode()
                        == 200,
                "the new account let in");
        assertThat(dashboard.users.remove("newcomer")).isTrue();
        Await.until(
                () -> send(TestDashboard.basic(
                                        dashboard.anonymous("/ratelimit/api/rules"), "newcomer", "fresh password"))
                                .statusCode()
                        == 403,
                "the removed account refused");
    }

    @Test
    void aNewPasswordEndsTheSessionsSignedInWithTheOldOne() {
        String cookie = cookieValue(
                sessionCookie(login(TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD, "/ratelimit/dashboard/")));
        HttpRequest<Buffer> withCookie =
                dashboard.anonymous("/ratelimit/api/summary").putHeader("Cookie", cookie);
        assertThat(send(withCookie).statusCode()).isEqualTo(200);

        dashboard.users.add(TestDashboard.STAFF, "a new password".toCharArray(), true, TestDashboard.TEST_ITERATIONS);
        Await.until(() -> send(withCookie.copy()).statusCode() == 403, "the session of the old password refused");

        // destroyed, not merely refused: the old password back does not bring the session back
        dashboard.users.add(
                TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD.toCharArray(), true, TestDashboard.TEST_ITERATIONS);
        Await.until(
                () -> send(TestDashboard.basic(
                                        dashboard.anonymous("/ratelimit/api/rules"),
                                        TestDashboard.STAFF,
                                        TestDashboard.STAFF_PASSWORD))
                                .statusCode()
                        == 200,
                "the old password back");
        assertThat(send(withCookie.copy()).statusCode()).isEqualTo(403);
        assertThat(cookieValue(sessionCookie(
                        login(TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD, "/ratelimit/dashboard/"))))
                .isNotEqualTo(cookie);
    }

    @Test
    void theSessionCookieIsSecureOverTlsAndFromATrustedProxyThatSaysHttps(@TempDir Path own) throws Exception {
        assertThat(loginCookie(send(dashboard.anonymous("/ratelimit/login")))).doesNotContainIgnoringCase("Secure");
        // X-Forwarded-Proto from a peer that is no trusted proxy is ignored
        assertThat(loginCookie(send(dashboard.anonymous("/ratelimit/login").putHeader("X-Forwarded-Proto", "https"))))
                .doesNotContainIgnoringCase("Secure");
        assertThat(sessionCookie(
                        dashboard.login(TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD, "/ratelimit/dashboard/")))
                .doesNotContainIgnoringCase("Secure");

        try (TestDashboard proxied = TestDashboard.start(
                own,
                List.of(),
                Tollgate.builder().trustedProxies(List.of("127.0.0.1")),
                DashboardOptions.defaults(),
                (r, t) -> {})) {
            assertThat(loginCookie(send(proxied.anonymous("/ratelimit/login").putHeader("X-Forwarded-Proto", "https"))))
                    .containsIgnoringCase("; Secure");
            assertThat(loginCookie(send(proxied.anonymous("/ratelimit/login").putHeader("X-Forwarded-Proto", "http"))))
                    .doesNotContainIgnoringCase("Secure");
            assertThat(loginCookie(send(proxied.anonymous("/ratelimit/login")))).doesNotContainIgnoringCase("Secure");
            TestDashboard.SignIn form = proxied.loginForm();
            HttpResponse<Buffer> login = send(
                    proxied.request(HttpMethod.POST, "/ratelimit/login")
                            .putHeader("Cookie", form.cookie())
                            .putHeader("X-Forwarded-Proto", "https")
                            .putHeader("Content-Type", "application/x-www-form-urlencoded"),
                    "_csrf=" + form.token() + "&username=" + TestDashboard.STAFF + "&password="
                            + TestDashboard.STAFF_PASSWORD.replace(" ", "+") + "&next=/ratelimit/dashboard/");
            assertThat(login.statusCode()).isEqualTo(303);
            assertThat(sessionCookie(login)).containsIgnoringCase("; Secure").containsIgnoringCase("HttpOnly");
        }

        SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
        Router root = Router.router(dashboard.vertx);
        root.route(Dashboard.MOUNT_POINT + "*").subRouter(dashboard.dashboard.router());
        HttpServer tls = await(dashboard
                .vertx
                .createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions()))
                .requestHandler(root)
                .listen(0, "127.0.0.1"));
        WebClient client = WebClient.create(
                dashboard.vertx,
                new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
        HttpResponse<Buffer> form = await(
                client.get(tls.actualPort(), "127.0.0.1", "/ratelimit/login").send());
        assertThat(loginCookie(form)).containsIgnoringCase("; Secure").containsIgnoringCase("HttpOnly");
        client.close();
        await(tls.close());
    }

    @Test
    void theFirstStartWithoutAUsersFileCreatesAnAdminWithItsPasswordInAFileOnlyItsOwnerReads(@TempDir Path own)
            throws Exception {
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                warnings.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger(Dashboard.class.getName());
        logger.addHandler(capture);
        try {
            Path file = own.resolve("fresh-users.properties");
            DashboardOptions options = DashboardOptions.defaults().withUsersFile(file);
            Tollgate tollgate = Tollgate.builder()
                    .vertx(dashboard.vertx)
                    .store(dashboard.store)
                    .build();
            await(Dashboard.create(dashboard.vertx, tollgate, options));
            Path passwordFile = own.resolve("tollgate-admin-password.txt");
            String password = Files.readString(passwordFile).strip();
            assertThat(password).hasSize(20);
            assertThat(Files.getPosixFilePermissions(passwordFile))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0))
                    .contains("'admin'", passwordFile.toString())
                    .doesNotContain(password);
            assertThat(Files.exists(file)).isTrue();
            assertThat(UsersFile.at(file).list()).containsExactly(new DashboardUser("admin", true));
            assertThat(UsersFile.at(file).readIfExists().get("admin").hash().matches(password.toCharArray()))
                    .isTrue();

            await(Dashboard.create(dashboard.vertx, tollgate, options));
            assertThat(warnings).hasSize(1);
        } finally {
            logger.removeHandler(capture);
        }
    }
}
