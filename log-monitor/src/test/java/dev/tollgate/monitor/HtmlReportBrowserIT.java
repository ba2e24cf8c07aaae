package dev.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The {@code --html} report of the sample in a real browser, Debian's headless Chromium driven through its
 * chromedriver: it loads from a {@code file:} address with no error in the console, its chart has one point per
 * second of log time, its alerts table lists what {@code --json} reports. A screenshot is saved under
 * {@code target/screenshots/}.
 */
class HtmlReportBrowserIT {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String INSTALL =
            "; install chromium and chromium-driver (apt-get install -y chromium chromium-driver; scripts/test.sh does)";

    @TempDir
    static Path dir;

    private static ChromeDriver browser;

    @BeforeAll
    static void start() {
        assumeTrue(Files.isExecutable(CHROMIUM), () -> "Chromium not found at " + CHROMIUM + INSTALL);
        assumeTrue(Files.isExecutable(CHROMEDRIVER), () -> "chromedriver not found at " + CHROMEDRIVER + INSTALL);
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-dev-shm-usage",
                "--window-size=1280,1400");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theSamplesReportLoadsCleanlyWithAPointPerSecondAndTheJsonAlerts() throws Exception {
        Path page = dir.resolve("report.html");
        MonitorRun run = MonitorRun.of(
                MonitorOptions.builder()
                        .file(SampleLog.path())
                        .threshold(10)
                        .json(true)
                        .html(page)
                        .progress(MonitorOptions.Progress.NEVER)
                        .build(),
                "");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonObject> json = SampleLogTest.jsonLines(run.out());
        JsonObject summary = json.stream()
                .filter(j -> j.getString("type").equals("summary"))
                .findFirst()
                .orElseThrow();

        browser.get(page.toUri().toString());

        List<LogEntry> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .toList();
        assertThat(severe).as("console errors").isEmpty();

        long seconds = summary.getLong("last") - summary.getLong("first") + 1;
        WebElement chart = browser.findElement(By.id("chart"));
        assertThat(chart.getDomAttribute("data-points")).isEqualTo(Long.toString(seconds));
        Object drawn = browser.executeScript("return document.getElementById('per-second').points.numberOfItems;");
        assertThat(((Number) drawn).longValue()).isEqualTo(seconds);
        Object average =
                browser.executeScript("return document.getElementById('window-average').points.numberOfItems;");
        assertThat(((Number) average).longValue()).isEqualTo(seconds);
        assertThat(browser.findElements(By.cssSelector("#chart rect.alert-period")))
                .hasSize(summary.getLong("alerts").intValue());

        String listed = browser.findElements(By.cssSelector("#alerts tbody tr")).stream()
                .map(row -> row.findElements(By.tagName("td")).stream()
                        .limit(4)
                        .map(WebElement::getText)
                        .filter(t -> !t.contains(":"))
                        .collect(Collectors.joining(" ")))
                .collect(Collectors.joining("\n"));
        String expected = json.stream()
                .filter(j -> j.getString("type").startsWith("traffic-"))
                .map(j -> j.getString("type") + " " + j.getLong("time") + " " + j.getLong("hits"))
                .collect(Collectors.joining("\n"));
        assertThat(listed).isEqualTo(expected).isNotEmpty();

        Path screenshot = Path.of("target", "screenshots", "html-report.png");
        Files.createDirectories(screenshot.getParent());
        Files.write(screenshot, browser.getScreenshotAs(OutputType.BYTES));
        assertThat(Files.size(screenshot)).isPositive();
    }
}
