package dev.tollgate.web;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium, driven through its chromedriver: nothing is downloaded. {@code scripts/test.sh} installs
 * both when they are missing; without them a test that {@link #assumeInstalled assumes} them is skipped.
 */
public final class Chromium implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    /** The advice the tests are skipped with on a machine without the browser. */
    public static final String INSTALL =
            "; install chromium and chromium-driver (apt-get install -y chromium chromium-driver; scripts/test.sh does)";

    private final ChromeDriver driver;

    private Chromium(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Skips the calling test when the browser or its driver is missing. */
    public static void assumeInstalled() {
        assumeTrue(Files.isExecutable(BINARY), () -> "Chromium not found at " + BINARY + INSTALL);
        assumeTrue(Files.isExecutable(DRIVER), () -> "chromedriver not found at " + DRIVER + INSTALL);
    }

    /** A headless browser with a window of 1280 × {@code height}, after {@link #assumeInstalled}. */
    public static Chromium start(int height) {
        assumeInstalled();
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-dev-shm-usage",
                "--window-size=1280," + height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .build();
        return new Chromium(new ChromeDriver(service, options));
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** A wait of at most {@code limit}, for conditions on the page. */
    public WebDriverWait waiting(Duration limit) {
        return new WebDriverWait(driver, limit);
    }

    /** The text of the element {@code css} selects, read in one step so a swap in between cannot make it stale. */
    public String text(String css) {
        Object text = driver.executeScript(
                "var e = document.querySelector(arguments[0]); return e === null ? null : e.textContent.trim()", css);
        return text == null ? "" : text.toString();
    }

    /** Saves what the browser shows as a PNG at {@code file}, creating its folder. */
    public Path screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
