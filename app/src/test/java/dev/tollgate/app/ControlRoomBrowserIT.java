package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.web.Chromium;
import dev.tollgate.web.UsersFile;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard as the control room, in a real browser in front of a real {@code serve} gateway: a staff member signs
 * in, limits a path to 2 requests an hour from the Rules page, watches the gateway refuse the third, sees the rule's
 * blocked count and the chart of the last 15 minutes move without a reload, raises the limit and reads the audit.
 * Each page is saved as a screenshot under {@code web-ui/target/screenshots/}.
 */
class ControlRoomBrowserIT {

    private static final String STAFF = "ops";
    private static final String PASSWORD = "control room secret";

    @RegisterExtension
    final ServeUnderTest serve = new ServeUnderTest();

    @TempDir
    Path dir;

    private Chromium chromium;

    @AfterEach
    void closeBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    /** Where the screenshots go: the web UI's target folder, beside its own browser test's. */
    private static Path screenshots() {
        Path project = Path.of("").toAbsolutePath().getParent();
        return project.resolve("web-ui").resolve("target").resolve("screenshots");
    }

    private int status(WebClient client, int port, String path) {
        HttpResponse<Buffer> response =
                await(client.get(port, "127.0.0.1", path).send());
        return response.statusCode();
    }

    private static void fill(ChromeDriver browser, String field, String value) {
        WebElement input = browser.findElement(By.id("field-" + field));
        input.clear();
        input.sendKeys(value);
    }

    /** The cell of the rule named {@code name} in the rules table that {@code column} (a CSS class) names. */
    private String ruleCell(String name, String column) {
        return chromium.text("#rules-in-force tr[data-name='" + name + "'] td." + column);
    }

    @Test
    void aRuleMadeOnTheRulesPageLimitsTheGatewayAndEveryViewFollowsWithoutAReload() throws IOException {
        Chromium.assumeInstalled();
        var upstream = serve.upstream(request -> request.response().end("upstream " + request.path()));
        UsersFile.at(dir.resolve("users.properties")).add(STAFF, PASSWORD.toCharArray(), true, 1_000);
        Path config = dir.resolve("tollgate.yaml");
        Files.writeString(config, """
                http: { host: 127.0.0.1, port: 0 }
                gateway: { upstream: "http://127.0.0.1:%d" }
                events: { batchSize: 1, flushInterval: 50ms }
                dashboard: { usersFile: users.properties }
                """.formatted(upstream.actualPort()));
        Server server = serve.start(config);
        int port = server.port();
        String base = "http://127.0.0.1:" + port + "/ratelimit/";
        WebClient client = WebClient.create(serve.peer());

        chromium = Chromium.start(1300);
        ChromeDriver browser = chromium.driver();
        WebDriverWait wait = chromium.waiting(Duration.ofSeconds(30));

        // sign in
        browser.get(base + "login");
        browser.findElement(By.id("username")).sendKeys(STAFF);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("sign-in")).click();
        wait.until(driver -> driver.getCurrentUrl().endsWith("/ratelimit/dashboard/"));

        // a rule limiting /search to 2 an hour, made on the Rules page: a sliding window, whose count no boundary
        // of the clock resets between the test's requests (a fixed window of a minute did, now and then)
        browser.get(base + "dashboard/rules/?range=15m");
        fill(browser, "name", "search");
        fill(browser, "path", "/search");
        fill(browser, "algorithm", "sliding-window-log");
        fill(browser, "limit", "2");
        fill(browser, "window", "1h");
        browser.findElement(By.id("rule-save")).click();
        wait.until(driver -> chromium.text("#rules-notice").startsWith("Saved 'search' (version 1)"));
        assertThat(ruleCell("search", "blocked")).isEqualTo("0");
        chromium.screenshot(screenshots().resolve("rules-created.png"));

        // traffic through the gateway: the third request of the hour is refused; the page shows it unreloaded
        browser.executeScript("window.tollgateMarker = 'no reload'");
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(status(client, port, "/search"));
        }
        assertThat(statuses).containsExactly(200, 200, 429, 429, 429);
        wait.until(driver -> ruleCell("search", "blocked").equals("3"));
        assertThat(ruleCell("search", "hits")).isEqualTo("5");
        assertThat(browser.executeScript("return window.tollgateMarker")).isEqualTo("no reload");
        chromium.screenshot(screenshots().resolve("rules-blocking.png"));

        // the chart of the last 15 minutes moves by itself as more requests are refused
        browser.get(base + "dashboard/?range=15m");
        wait.until(driver -> chromium.text("#chart .legend").contains("per 10 seconds"));
        browser.executeScript("window.tollgateMarker = 'no reload'");
        assertThat(status(client, port, "/search")).isEqualTo(429);
        assertThat(status(client, port, "/search")).isEqualTo(429);
        try {
            wait.until(driver -> blockedInChart(driver) == 5);
        } catch (RuntimeException e) {
            Files.writeString(Path.of("target", "control-room-failure.html"), browser.getPageSource());
            chromium.screenshot(Path.of("target", "control-room-failure.png"));
            throw e;
        }
        assertThat(browser.executeScript("return window.tollgateMarker")).isEqualTo("no reload");
        chromium.screenshot(screenshots().resolve("dashboard-15m.png"));

        // a higher limit, from the edit form, is in force at once
        browser.get(base + "dashboard/rules/?range=15m");
        browser.findElement(By.cssSelector("#rules-in-force tr[data-name='search'] a.edit"))
                .click();
        wait.until(driver -> chromium.text("#rule-form-title").equals("Edit search"));
        fill(browser, "limit", "10");
        browser.findElement(By.id("rule-save")).click();
        wait.until(driver -> chromium.text("#rules-notice").startsWith("Saved 'search' (version 2)"));
        assertThat(status(client, port, "/search")).isEqualTo(200);

        // and the audit says who changed what
        assertThat(chromium.text("#audit tr.change .action")).isEqualTo("update");
        assertThat(chromium.text("#audit tr.change summary")).isEqualTo("limit 2 → 10");
        assertThat(chromium.text("#audit")).contains(STAFF).contains("create");
        chromium.screenshot(screenshots().resolve("rules-audit.png"));
    }

    /** The blocked requests the chart's bars say they hold, read from their tooltips. */
    private static long blockedInChart(org.openqa.selenium.WebDriver driver) {
        Object total = ((ChromeDriver) driver)
                .executeScript("return Array.from(document.querySelectorAll('#chart title'))"
                        + ".map(function (t) { var m = / (\\d+) blocked$/.exec(t.textContent); return m ? +m[1] : 0; })"
                        + ".reduce(function (a, b) { return a + b; }, 0)");
        return ((Number) total).longValue();
    }
}
