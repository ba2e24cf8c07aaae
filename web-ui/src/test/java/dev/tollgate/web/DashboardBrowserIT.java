package dev.tollgate.web;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.Rule;
import dev.tollgate.core.Tollgate;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.ManualClock;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's headless Chromium, driven through its chromedriver. Nothing
 * is downloaded; {@code scripts/test.sh} installs both when they are missing, and without them the tests
 * are skipped.
 */
class DashboardBrowserIT {

    static final String SCRIPT_KEY = "<script>alert(1)</script>";

    @TempDir
    static Path dir;

    private static TestDashboard dashboard;
    private static Chromium chromium;
    private static ChromeDriver browser;
    private static WebDriverWait wait;

    @BeforeAll
    static void start() {
        Chromium.assumeInstalled();
        List<RateLimitEvent> events = new ArrayList<>(TestDashboard.exampleLog());
        for (int i = 0; i < 3; i++) {
            events.add(TestDashboard.blocked(
                    SCRIPT_KEY, TestDashboard.NOW.minus(Duration.ofDays(2)).plusSeconds(i)));
        }
        Tollgate.Builder gateway = Tollgate.builder()
                .rules(
                        List.of(
                                Rule.fromJson(
                                        new JsonObject(
                                                "{\"name\":\"api\",\"path\":\"/api/*\",\"algorithm\":\"fixed-window\",\"limit\":3,\"window\":\"1h\"}"))));
        dashboard = TestDashboard.start(dir, events, gateway, DashboardOptions.defaults(), (router, tollgate) -> {
            router.route("/api/*").handler(tollgate.handler());
            router.route("/api/*").handler(ctx -> ctx.end("ok"));
        });
        chromium = Chromium.start(1100);
        browser = chromium.driver();
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (dashboard != null) {
            dashboard.close();
        }
    }

    @BeforeEach
    void signedOut() {
        browser.executeCdpCommand("Network.clearBrowserCookies", Map.of());
    }

    private static void signIn(TestDashboard on, String user, String password) {
        if (!browser.getCurrentUrl().startsWith(on.url("/ratelimit/login"))) {
            browser.get(on.url("/ratelimit/login"));
        }
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("sign-in")).click();
    }

    /** The text of the element {@code css} selects, read in one step so a swap in between cannot make it stale. */
    private static String text(String css) {
        return chromium.text(css);
    }

    private static String shownDays() {
        return String.valueOf(browser.executeScript("return document.getElementById('panels').dataset.days"));
    }

    private static void assertNoDialog() {
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    @Test
    void aStaffMemberSignsInSwapsTheWindowDrillsDownWatchesLiveCountersAndSeesMarkupAsText() throws Exception {
        browser.get(dashboard.url("/ratelimit/dashboard/"));
        assertThat(browser.getPageSource()).contains("Staff only");
        browser.findElement(By.id("sign-in-link")).click();
        browser.findElement(By.id("username")).sendKeys(TestDashboard.STAFF);
        browser.findElement(By.id("password")).sendKeys(TestDashboard.STAFF_PASSWORD);
        browser.findElement(By.id("sign-in")).click();
        wait.until(driver -> driver.getCurrentUrl().endsWith("/ratelimit/dashboard/"));
        assertThat(text("#window [data-field=total]")).isEqualTo("31");
        assertThat(text("#window [data-field=block-rate]")).isEqualTo("0.387");
        assertThat(text("#window [data-field=shadow-blocked]")).isEqualTo("2");
        assertThat(text("#today [data-field=total]")).isEqualTo("27");

        // the range selector swaps the panels in place: the page (and this marker) stays
        JavascriptExecutor js = browser;
        js.executeScript("window.tollgateMarker = 'no reload'");
        new Select(browser.findElement(By.id("range"))).selectByValue("24h");
        wait.until(driver -> "1".equals(shownDays()));
        assertThat(js.executeScript("return window.tollgateMarker")).isEqualTo("no reload");
        assertThat(browser.getCurrentUrl()).endsWith("/ratelimit/dashboard/?range=24h");
        assertThat(text("#window [data-field=total]")).isEqualTo("27");
        assertThat(browser.findElement(By.id("csv-link")).getDomAttribute("href"))
                .isEqualTo("/ratelimit/dashboard/offenders.csv?range=24h");
        assertThat(browser.findElements(By.cssSelector("#offenders tr.offender")))
                .hasSize(2);

        // an offender's drill-down opens under its row
        browser.findElement(By.cssSelector("#offenders tr.offender a")).click();
        wait.until(driver ->
                !driver.findElements(By.cssSelector("#offender-0 .drill h3")).isEmpty());
        assertThat(text("#offender-0 .drill h3")).isEqualTo("ip:203.0.113.5");
        assertThat(text("#offender-0 .drill dl")).contains("0.375");
        assertThat(js.executeScript("return window.tollgateMarker")).isEqualTo("no reload");

        // live counters move while requests flow; past the limit of 3 an hour the blocked ones show too (an update
        // may count the first requests before the refused ones, which can come in a later batch of events)
        wait.until(driver -> !text("#live .at").startsWith("waiting"));
        long before = Long.parseLong(text("#live-minute-requests"));
        wait.until(driver -> {
            for (int i = 0; i < 5; i++) {
                await(dashboard.anonymous("/api/orders").send());
            }
            return Long.parseLong(text("#live-minute-requests")) > before
                    && Long.parseLong(text("#live-minute-blocked")) > 0;
        });

        // a key that is markup shows as text, and runs nothing
        new Select(browser.findElement(By.id("range"))).selectByValue("7d");
        wait.until(driver -> "7".equals(shownDays()));
        WebElement scriptRow = browser.findElements(By.cssSelector("#offenders tr.offender a")).stream()
                .filter(link -> link.getText().equals(SCRIPT_KEY))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no offender row shows " + SCRIPT_KEY));
        assertNoDialog();
        scriptRow.click();
        wait.until(driver -> Boolean.TRUE.equals(browser.executeScript(
                "var key = arguments[0]; return Array.from("
                        + "document.querySelectorAll('tr.detail .drill h3')).some(function (h) { return h.textContent === key; })",
                SCRIPT_KEY)));
        assertNoDialog();
        browser.navigate().refresh();
        wait.until(driver -> !driver.findElements(By.id("offenders")).isEmpty());
        assertNoDialog();
        assertThat(browser.getCurrentUrl()).endsWith("/ratelimit/dashboard/?range=7d");

        browser.findElement(By.cssSelector("#offenders tr.offender a")).click();
        wait.until(driver ->
                !driver.findElements(By.cssSelector("#offender-0 .drill h3")).isEmpty());
        wait.until(driver -> !text("#live .at").startsWith("waiting"));
        Path screenshot = chromium.screenshot(Path.of("target", "screenshots", "dashboard.png"));
        assertThat(Files.size(screenshot)).isPositive();
        assertThat(((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES))
                .isNotEmpty();
    }

    @Test
    void signingOutEndsTheSessionAndAForgedSignOutFromAnotherSiteChangesNothing() {
        signIn(dashboard, TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD);
        wait.until(driver -> driver.getCurrentUrl().endsWith("/ratelimit/dashboard/"));
        assertThat(text("#signed-in-as")).isEqualTo(TestDashboard.STAFF);
        // htmx requests send the token the forms carry
        assertThat(browser.executeScript("return JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token']"))
                .isEqualTo(browser.findElement(By.cssSelector("#sign-out input[name=_csrf]"))
                        .getDomProperty("value"));

        // a page of another site whose button posts the dashboard's sign-out form, with a guessed token
        HttpServer elsewhere = await(dashboard
                .vertx
                .createHttpServer()
                .requestHandler(request -> request.response()
                        .putHeader("Content-Type", "text/html; charset=utf-8")
                        .end("<!DOCTYPE html><html><body><form method=\"post\" action=\""
                                + dashboard.url("/ratelimit/logout")
                                + "\"><input type=\"hidden\" name=\"_csrf\" value=\"guessed\">"
                                + "<button id=\"prize\">Claim your prize</button></form></body></html>"))
                .listen(0, "127.0.0.1"));
        try {
            browser.get("http://localhost:" + elsewhere.actualPort() + "/");
            browser.findElement(By.id("prize")).click();
            wait.until(driver -> driver.getCurrentUrl().endsWith("/ratelimit/logout"));
            assertThat(browser.getPageSource()).contains("This request did not come from the dashboard");
        } finally {
            await(elsewhere.close());
        }
        browser.get(dashboard.url("/ratelimit/dashboard/"));
        assertThat(text("#signed-in-as")).as("still signed in").isEqualTo(TestDashboard.STAFF);

        browser.findElement(By.cssSelector("#sign-out button")).click();
        wait.until(driver -> driver.getCurrentUrl().endsWith("/ratelimit/login"));
        assertThat(browser.findElements(By.id("sign-in"))).hasSize(1);
        browser.get(dashboard.url("/ratelimit/dashboard/"));
        assertThat(browser.getPageSource()).contains("Staff only");
    }

    @Test
    void tooManyWrongPasswordsTurnTheSignInFormIntoAWaitUntilTheMinuteHasPassed(@TempDir Path own) {
        ManualClock clock = ManualClock.at(TestDashboard.NOW);
        try (TestDashboard guarded = TestDashboard.start(
                own,
                List.of(),
                Tollgate.builder().limiterOptions(LimiterOptions.defaults().withClock(clock)),
                DashboardOptions.defaults().withLoginLimit(2),
                (router, tollgate) -> {})) {
            browser.get(guarded.url("/ratelimit/login"));
            for (int i = 0; i < 2; i++) {
                signIn(guarded, TestDashboard.STAFF, "not the password");
                wait.until(driver -> text("#login-error").startsWith("Wrong user name or password"));
            }
            signIn(guarded, TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD);
            wait.until(driver -> text("#login-error").startsWith("Too many failed sign-ins"));
            assertThat(text("#login-error"))
                    .isEqualTo("Too many failed sign-ins from this address or for this user. "
                            + "Try again in 60 seconds.");
            assertThat(browser.getCurrentUrl()).endsWith("/ratelimit/login");

            clock.advance(Duration.ofMinutes(1));
            signIn(guarded, TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD);
            wait.until(driver -> driver.getCurrentUrl().endsWith("/ratelimit/dashboard/"));
            assertThat(text("#signed-in-as")).isEqualTo(TestDashboard.STAFF);
        }
    }

    @Test
    void theRangeFormWorksWithoutJavaScript() {
        browser.get(dashboard.url("/ratelimit/login"));
        if (!browser.findElements(By.id("username")).isEmpty()) {
            browser.findElement(By.id("username")).sendKeys(TestDashboard.STAFF);
            browser.findElement(By.id("password")).sendKeys(TestDashboard.STAFF_PASSWORD);
            browser.findElement(By.id("sign-in")).click();
            wait.until(driver -> driver.getCurrentUrl().endsWith("/ratelimit/dashboard/"));
        }
        browser.get(dashboard.url("/ratelimit/dashboard/?days=30"));
        JavascriptExecutor js = browser;
        // without htmx the form is a plain GET form: submitting it loads the page anew
        js.executeScript("window.tollgateMarker = 'old page'; document.getElementById('range').value = '90d';"
                + "HTMLFormElement.prototype.submit.call(document.getElementById('range-form'))");
        wait.until(driver -> driver.getCurrentUrl().endsWith("/ratelimit/dashboard/?range=90d"));
        wait.until(driver -> "90".equals(shownDays()));
        assertThat(js.executeScript("return window.tollgateMarker")).isNull();
    }
}
