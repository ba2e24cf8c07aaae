package dev.tollgate.web;

import static dev.tollgate.test.support.Await.await;

import dev.tollgate.core.Tollgate;
import dev.tollgate.events.ExampleLog;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.store.memory.MemoryEventStore;
import dev.tollgate.test.support.Await;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real dashboard on a real HTTP server: a memory store on a fixed clock holding known events, a staff
 * account and a non-staff one, and a web client.
 */
final class TestDashboard implements AutoCloseable {

    static final Instant NOW = ExampleLog.NOW;
    static final String STAFF = "ops";
    static final String STAFF_PASSWORD = "correct horse";
    static final String VIEWER = "viewer";
    static final String VIEWER_PASSWORD = "battery staple";
    /** Cheap hashes: the tests check logins, not PBKDF2's cost. */
    static final int TEST_ITERATIONS = 1_000;
    /** Failed sign-ins a minute that {@link #start(Path, List)} allows. */
    static final int TEST_LOGIN_LIMIT = 10_000;

    final Vertx vertx;
    final MemoryEventStore store;
    final Tollgate tollgate;
    final UsersFile users;
    final Dashboard dashboard;
    final Router dashboardRouter;
    final HttpServer server;
    final WebClient client;

    private TestDashboard(
            Vertx vertx,
            MemoryEventStore store,
            Tollgate tollgate,
            UsersFile users,
            Dashboard dashboard,
            Router dashboardRouter,
            HttpServer server) {
        this.vertx = vertx;
        this.store = store;
        this.tollgate = tollgate;
        this.users = users;
        this.dashboard = dashboard;
        this.dashboardRouter = dashboardRouter;
        this.server = server;
        this.client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    }

    /**
     * A dashboard over {@code events}, its users file in {@code dir}, allowing {@value #TEST_LOGIN_LIMIT} failed
     * sign-ins a minute: tests that send wrong credentials on purpose, or try some until the users file is
     * read again, share one client address. {@code SignInThrottleTest} checks the throttle.
     */
    static TestDashboard start(Path dir, List<RateLimitEvent> events) {
        return start(
                dir,
                events,
                Tollgate.builder(),
                DashboardOptions.defaults().withLoginLimit(TEST_LOGIN_LIMIT),
                (router, tollgate) -> {});
    }

    /**
     * A dashboard over {@code events} for the Tollgate {@code builder} composes (its store and Vert.x set
     * here), with {@code routes} added to the server's router before the dashboard.
     */
    static TestDashboard start(
            Path dir,
            List<RateLimitEvent> events,
            Tollgate.Builder builder,
            DashboardOptions options,
            BiConsumer<Router, Tollgate> routes) {
        Vertx vertx = Vertx.vertx();
        try {
            MemoryEventStore store = MemoryEventStore.create(vertx, Clock.fixed(NOW, ZoneOffset.UTC));
            await(store.append(events));
            Tollgate tollgate = builder.vertx(vertx).store(store).build();
            await(tollgate.deployServices());
            UsersFile users = UsersFile.at(dir.resolve("users.properties"));
            users.add(STAFF, STAFF_PASSWORD.toCharArray(), true, TEST_ITERATIONS);
            users.add(VIEWER, VIEWER_PASSWORD.toCharArray(), false, TEST_ITERATIONS);
            Dashboard dashboard = await(Dashboard.create(vertx, tollgate, options.withUsersFile(users.path())));
            Router root = Router.router(vertx);
            routes.accept(root, tollgate);
            Router dashboardRouter = dashboard.router();
            root.route(Dashboard.MOUNT_POINT + "*").subRouter(dashboardRouter);
            HttpServer server =
                    await(vertx.createHttpServer().requestHandler(root).listen(0, "127.0.0.1"));
            return new TestDashboard(vertx, store, tollgate, users, dashboard, dashboardRouter, server);
        } catch (RuntimeException | Error e) {
            // a dashboard that did not start leaves no Vert.x instance behind
            Await.close(vertx);
            throw e;
        }
    }

    int port() {
        return server.actualPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    HttpRequest<Buffer> request(HttpMethod method, String path) {
        return client.request(method, port(), "127.0.0.1", path);
    }

    HttpRequest<Buffer> anonymous(String path) {
        return request(HttpMethod.GET, path);
    }

    HttpRequest<Buffer> asStaff(String path) {
        return basic(request(HttpMethod.GET, path), STAFF, STAFF_PASSWORD);
    }

    /** The sign-in form as a browser gets it: the cookie that holds its token, and the token. */
    SignIn loginForm() {
        HttpResponse<Buffer> form = await(anonymous("/ratelimit/login").send());
        String setCookie = form.cookies().stream()
                .filter(c -> c.startsWith(Dashboard.LOGIN_COOKIE + "="))
                .findFirst()
                .orElseThrow(() -> new AssertionError("GET /login set no token cookie: " + form.cookies()));
        return new SignIn(setCookie.substring(0, setCookie.indexOf(';')), token(form.bodyAsString()));
    }

    /** Fetches the form, then posts it with these credentials, as a browser would. */
    HttpResponse<Buffer> login(String user, String password, String next) {
        return login(loginForm(), user, password, next);
    }

    /** Posts the sign-in form of {@code session} with these credentials. */
    HttpResponse<Buffer> login(SignIn session, String user, String password, String next) {
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
                .add("_csrf", session.token())
                .add("username", user)
                .add("password", password)
                .add("next", next);
        return await(request(HttpMethod.POST, "/ratelimit/login")
                .putHeader("Cookie", session.cookie())
                .sendForm(form));
    }

    /** A staff session signed in with the form: its cookie, and the token its pages carry. */
    SignIn signedIn() {
        HttpResponse<Buffer> login = login(STAFF, STAFF_PASSWORD, "/ratelimit/dashboard/");
        if (login.statusCode() != 303) {
            throw new AssertionError("signing in answered " + login.statusCode() + ": " + login.bodyAsString());
        }
        String setCookie = login.cookies().stream()
                .filter(c -> c.startsWith(Dashboard.SESSION_COOKIE + "="))
                .findFirst()
                .orElseThrow(() -> new AssertionError("signing in set no session cookie: " + login.cookies()));
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        HttpResponse<Buffer> page = await(
                anonymous("/ratelimit/dashboard/").putHeader("Cookie", cookie).send());
        return new SignIn(cookie, token(page.bodyAsString()));
    }

    /** The {@code _csrf} field of a page's form. */
    static String token(String html) {
        Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        if (!token.find()) {
            throw new AssertionError("no _csrf field in " + html);
        }
        return token.group(1);
    }

    /**
     * A browser's session: the {@code Cookie} header that sends it, and its token.
     *
     * @param cookie {@code tollgate.session=…}
     * @param token  the {@code _csrf} value of its forms
     */
    record SignIn(String cookie, String token) {}

    static HttpRequest<Buffer> basic(HttpRequest<Buffer> request, String user, String password) {
        return request.putHeader(
                "Authorization",
                "Basic "
                        + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        Await.close(vertx);
    }

    /** The log of docs/analytics.md: {@link ExampleLog#events()}. */
    static List<RateLimitEvent> exampleLog() {
        return ExampleLog.events();
    }

    /** {@link ExampleLog#event}. */
    static RateLimitEvent event(
            Instant at, String key, String rule, String path, String method, boolean allowed, long count) {
        return ExampleLog.event(at, key, rule, path, method, allowed, count);
    }

    /** A blocked event of {@code key} at {@code at} under rule {@code api}. */
    static RateLimitEvent blocked(String key, Instant at) {
        return event(at, key, "api", "/api/orders", "GET", false, 11);
    }
}
