package dev.tollgate.web;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Tollgate;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.test.support.Await;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failed sign-ins throttled by client address and by user name on the Tollgate's clock, form and HTTP
 * Basic alike, logged once each; and password checks bounded, the rest refused at once. The server trusts
 * the test client as a proxy, so {@code X-Forwarded-For} says which address each attempt comes from.
 */
class SignInThrottleTest {

    static final String A = "203.0.113.7";
    static final String B = "198.51.100.8";
    static final String OTHER_STAFF = "ann";
    static final String OTHER_PASSWORD = "another staff password";
    /** A password that takes a second or more to check. */
    static final int SLOW_ITERATIONS = 4_000_000;

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.at(TestDashboard.NOW);
    private TestDashboard dashboard;
    /** The form the last {@link #login} posted. */
    private TestDashboard.SignIn browser;

    /** A dashboard whose users file has, besides the usual two, the staff accounts {@code ann} and {@code target}. */
    private void start(DashboardOptions options) {
        dashboard = TestDashboard.start(
                dir,
                List.of(),
                Tollgate.builder()
                        .trustedProxies(List.of("127.0.0.1"))
                        .limiterOptions(LimiterOptions.defaults().withClock(clock)),
                options,
                (router, tollgate) -> {});
        // before any request, so the first reading of the file has them
        dashboard.users.add(OTHER_STAFF, OTHER_PASSWORD.toCharArray(), true, TestDashboard.TEST_ITERATIONS);
        dashboard.users.add("target", "the target's password".toCharArray(), true, TestDashboard.TEST_ITERATIONS);
    }

    @AfterEach
    void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
    }

    /** Fetches the sign-in form and posts it from {@code from}. */
    private HttpResponse<Buffer> login(String from, String user, String password) {
        browser = dashboard.loginForm();
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
                .add("_csrf", browser.token())
                .add("username", user)
                .add("password", password)
                .add("next", "/ratelimit/dashboard/");
        return await(dashboard
                .request(HttpMethod.POST, "/ratelimit/login")
                .putHeader("Cookie", browser.cookie())
                .putHeader("X-Forwarded-For", from)
                .sendForm(form));
    }

    private Future<HttpResponse<Buffer>> basic(String from, String user, String password) {
        return TestDashboard.basic(dashboard.anonymous("/ratelimit/api/rules"), user, password)
                .putHeader("X-Forwarded-For", from)
                .send();
    }

    private int basicStatus(String from, String user, String password) {
        return await(basic(from, user, password)).statusCode();
    }

    @Test
    void theSixthFailedSignInFromAnAddressWithinAMinuteGets429UntilTheFirstIsAMinuteOld() {
        start(DashboardOptions.defaults());
        for (int i = 0; i < 5; i++) {
            assertThat(login(A, "nobody" + i, "wrong").statusCode()).isEqualTo(403);
        }
        HttpResponse<Buffer> refused = login(A, TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("60");
        assertThat(refused.getHeader("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(refused.bodyAsString())
                .contains(
                        "id=\"login-error\"",
                        "Too many failed sign-ins from this address or for this user. Try again in 60 seconds.",
                        "name=\"_csrf\" value=\"" + browser.token() + "\"");

        assertThat(login(B, TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD).statusCode())
                .as("another address")
                .isEqualTo(303);
        clock.advance(Duration.ofSeconds(59));
        assertThat(login(A, TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD).getHeader("Retry-After"))
                .isEqualTo("1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(login(A, TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD).statusCode())
                .isEqualTo(303);
    }

    @Test
    void aUserNameIsThrottledFromEveryAddressAndOtherNamesAreNot() {
        start(DashboardOptions.defaults());
        for (int i = 0; i < 5; i++) {
            assertThat(login("192.0.2." + i, TestDashboard.STAFF, "wrong " + i).statusCode())
                    .isEqualTo(403);
        }
        assertThat(login(B, TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD).statusCode())
                .isEqualTo(429);
        assertThat(basicStatus(B, TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD))
                .isEqualTo(429);
        assertThat(login(B, OTHER_STAFF, OTHER_PASSWORD).statusCode()).isEqualTo(303);
    }

    @Test
    void onlyFailuresCountAndTheLimitIsConfigurable() {
        start(DashboardOptions.defaults().withLoginLimit(2));
        for (int i = 0; i < 10; i++) {
            assertThat(login(A, TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD)
                            .statusCode())
                    .isEqualTo(303);
        }
        // a correct password of an account that is not staff is refused, but guessed nothing
        assertThat(login(A, TestDashboard.VIEWER, TestDashboard.VIEWER_PASSWORD).statusCode())
                .isEqualTo(403);
        assertThat(login(A, "nobody", "wrong").statusCode()).isEqualTo(403);
        assertThat(login(A, TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD).statusCode())
                .isEqualTo(303);
        assertThat(login(A, "nobody else", "wrong").statusCode()).isEqualTo(403);
        assertThat(login(A, TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD).statusCode())
                .isEqualTo(429);
    }

    @Test
    void failedHttpBasicCredentialsCountTooAndAThrottledScriptGetsJsonAndRetryAfter() {
        start(DashboardOptions.defaults());
        for (int i = 0; i < 3; i++) {
            HttpResponse<Buffer> wrong = await(basic(A, TestDashboard.STAFF, "wrong"));
            assertThat(wrong.statusCode()).isEqualTo(403);
            assertThat(wrong.bodyAsJsonObject().getString("error")).startsWith("staff only");
        }
        clock.advance(Duration.ofSeconds(20));
        assertThat(login(A, "nobody", "wrong").statusCode()).isEqualTo(403);
        assertThat(basicStatus(A, "nobody", "wrong")).isEqualTo(403);

        HttpResponse<Buffer> refused = await(basic(A, TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.getHeader("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(refused.getHeader("Retry-After")).isEqualTo("40");
        assertThat(refused.bodyAsJsonObject().getString("error"))
                .isEqualTo("too many failed sign-ins from this address or for this user; try again in 40 s");
        assertThat(login(A, TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD).statusCode())
                .isEqualTo(429);

        clock.advance(Duration.ofSeconds(40));
        assertThat(basicStatus(A, TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD))
                .isEqualTo(200);
    }

    @Test
    void everyFailureIsLoggedOncePrintablyAndEachKeyOnceWhenItRunsOut() {
        start(DashboardOptions.defaults());
        String name = "ev\nil\u007f\\" + "x".repeat(100);
        String shown = "ev\\x0ail\\x7f\\x5c" + "x".repeat(73) + "…(107 characters)";
        try (LogCapture log = LogCapture.of(LoginThrottle.class)) {
            for (int i = 0; i < 4; i++) {
                assertThat(login(A, name, "wrong").statusCode()).isEqualTo(403);
            }
            assertThat(basicStatus(A, name, "wrong")).isEqualTo(403);
            assertThat(log.warnings())
                    .containsExactly(
                            "failed dashboard sign-in (form) for user '" + shown + "' from " + A,
                            "failed dashboard sign-in (form) for user '" + shown + "' from " + A,
                            "failed dashboard sign-in (form) for user '" + shown + "' from " + A,
                            "failed dashboard sign-in (form) for user '" + shown + "' from " + A,
                            "failed dashboard sign-in (HTTP Basic) for user '" + shown + "' from " + A,
                            "dashboard sign-ins from " + A
                                    + " throttled: 5 failed within a minute; refused until the oldest "
                                    + "is a minute old",
                            "dashboard sign-ins for user '" + shown
                                    + "' throttled: 5 failed within a minute; refused until "
                                    + "the oldest is a minute old");

            // refused attempts are not failures: nothing more is logged
            for (int i = 0; i < 3; i++) {
                assertThat(login(A, name, "wrong").statusCode()).isEqualTo(429);
                assertThat(basicStatus(A, name, "wrong")).isEqualTo(429);
            }
            assertThat(log.warnings()).hasSize(7);
        }
    }

    @Test
    void passwordChecksBeyondTheBoundGet503AtOnceAndAThrottledAttemptChecksNone() {
        start(DashboardOptions.defaults().withHashConcurrency(1).withRefusalDelay(Duration.ZERO));
        dashboard.users.add("slow", "a slow password".toCharArray(), true, SLOW_ITERATIONS);
        for (int i = 0; i < 5; i++) {
            assertThat(login(A, "target", "wrong").statusCode()).isEqualTo(403);
        }

        Future<HttpResponse<Buffer>> slow = basic(B, "slow", "a slow password");
        // while it is being checked, the one check allowed at a time is taken: the next is refused, not queued
        AtomicReference<HttpResponse<Buffer>> busy = new AtomicReference<>();
        Await.until(
                () -> {
                    // a right password of a non-staff account: checked, never counted as a failure
                    busy.set(await(basic("192.0.2.1", TestDashboard.VIEWER, TestDashboard.VIEWER_PASSWORD)));
                    return busy.get().statusCode() == 503;
                },
                "a check refused while the slow one runs");
        assertThat(busy.get().getHeader("Retry-After")).isEqualTo("1");
        assertThat(busy.get().bodyAsJsonObject().getString("error"))
                .isEqualTo("too many passwords are being checked at once; try again in a moment");
        HttpResponse<Buffer> busyForm = login("192.0.2.2", OTHER_STAFF, OTHER_PASSWORD);
        assertThat(busyForm.statusCode()).isEqualTo(503);
        assertThat(busyForm.bodyAsString()).contains("The server is checking too many passwords at once.");
        // a throttled address is answered without a check: 429, not 503
        assertThat(login(A, TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD).statusCode())
                .isEqualTo(429);
        assertThat(basicStatus(A, TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD))
                .isEqualTo(429);
        assertThat(slow.isComplete()).as("the slow check still running").isFalse();

        assertThat(await(slow).statusCode()).isEqualTo(200);
        assertThat(basicStatus(B, TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD))
                .isEqualTo(200);
    }

    @Test
    void aRefusedSignInWaitsForItsAnswerOnATimerWhileEveryoneElseIsServed() {
        start(DashboardOptions.defaults().withLoginLimit(1).withRefusalDelay(Duration.ofMinutes(1)));
        assertThat(basicStatus(A, TestDashboard.STAFF, "wrong")).isEqualTo(403);
        Future<HttpResponse<Buffer>> refused = basic(A, TestDashboard.STAFF, "wrong");
        // the refusal is held for a minute; meanwhile the server answers others, so nothing waits on a thread
        for (int i = 0; i < 5; i++) {
            assertThat(basicStatus(B, OTHER_STAFF, OTHER_PASSWORD)).isEqualTo(200);
        }
        assertThat(refused.isComplete()).as("the refusal, a minute off").isFalse();
    }
}
