package dev.tollgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code tollgate --version} names the commit the build came from. */
class VersionTest {

    @Test
    void theVersionLineNamesTheCommitOfTheCheckout() throws IOException, InterruptedException {
        StringWriter out = new StringWriter();
        int code = Main.run(
                new String[] {"--version"}, new PrintWriter(out, true), new PrintWriter(new StringWriter()), Map.of());

        Process git = new ProcessBuilder("git", "rev-parse", "--short=7", "HEAD")
                .redirectErrorStream(true)
                .start();
        String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(git.waitFor())
                .as("this test runs in a git checkout: " + head)
                .isZero();

        assertThat(code).isZero();
        assertThat(out.toString().trim()).startsWith("tollgate ").endsWith("(commit " + head + ")");
    }
}
