package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tollgate users add|remove|list}, and the accounts it writes opening the dashboard of {@code serve}. */
class UsersCommandTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private Run run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(
                args,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                Map.of());
        return new Run(code, out.toString(), err.toString());
    }

    private Path config() throws Exception {
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(file, """
                http: { host: 127.0.0.1, port: 0 }
                rules:
                  - { name: everything, path: "/*", algorithm: fixed-window, limit: 1, window: 1h }
                dashboard: { usersFile: staff.properties }
                """);
        return file;
    }

    @Test
    void addListAndRemoveWorkOnTheUsersFileBesideTheConfiguration() throws Exception {
        String config = config().toString();
        Run added = run("first secret\n", "users", "add", "ann", "--staff", "--password-stdin", "--config", config);
        assertThat(added.code()).as(added.err()).isZero();
        Path users = dir.resolve("staff.properties");
        assertThat(added.out()).isEqualTo("added staff user 'ann' in " + users + System.lineSeparator());
        assertThat(Files.readString(users))
                .contains("ann=staff:pbkdf2-sha256:600000:")
                .doesNotContain("first secret");

        assertThat(run("bob's password\r\n", "users", "add", "bob", "--password-stdin", "-c", config)
                        .out())
                .startsWith("added non-staff user 'bob'");
        assertThat(run("another secret\n", "users", "add", "ann", "--staff", "--password-stdin", "-c", config)
                        .out())
                .startsWith("updated staff user 'ann'");
        assertThat(run("", "users", "list", "--config", config).out())
                .isEqualTo("ann\tstaff" + System.lineSeparator() + "bob\tuser" + System.lineSeparator());

        assertThat(run("", "users", "remove", "bob", "--config", config).out())
                .isEqualTo("removed user 'bob' from " + users + System.lineSeparator());
        Run again = run("", "users", "remove", "bob", "--config", config);
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("there is no user 'bob' in " + users);
    }

    @Test
    void aPasswordShorterThanTwelveCharactersIsRefusedWithExitCodeTwoUnlessAllowed() throws Exception {
        String config = config().toString();
        Path users = dir.resolve("staff.properties");
        Run eleven = run("eleven char\n", "users", "add", "ann", "--staff", "--password-stdin", "--config", config);
        assertThat(eleven.code()).isEqualTo(2);
        assertThat(eleven.out()).isEmpty();
        assertThat(eleven.err())
                .isEqualTo("tollgate: the password of 'ann' has 11 characters; give one of at least 12 "
                        + "(a few words make one), or add --allow-short to keep it; nothing was changed"
                        + System.lineSeparator());
        assertThat(Files.exists(users)).isFalse();
        // characters as people count them: eleven keys are eleven, however Java stores them
        assertThat(run("\uD83D\uDD11".repeat(11) + "\n", "users", "add", "ann", "--password-stdin", "--config", config)
                        .err())
                .contains("has 11 characters");

        assertThat(run("twelve chars\n", "users", "add", "ann", "--staff", "--password-stdin", "--config", config)
                        .code())
                .isZero();
        Run allowed = run("short\n", "users", "add", "bob", "--password-stdin", "--allow-short", "--config", config);
        assertThat(allowed.code()).as(allowed.err()).isZero();
        assertThat(allowed.out()).startsWith("added non-staff user 'bob'");
        assertThat(run("", "users", "list", "--config", config).out())
                .isEqualTo("ann\tstaff" + System.lineSeparator() + "bob\tuser" + System.lineSeparator());
    }

    @Test
    void withoutATerminalThePasswordMustComeFromStdin() throws Exception {
        Run run = run("", "users", "add", "ann", "--staff", "--config", config().toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("give it on stdin with --password-stdin");
        assertThat(run("\n", "users", "add", "ann", "--password-stdin", "--config", config().toString())
                        .err())
                .contains("the password of 'ann' is empty");
        assertThat(run(
                                "a long enough password\n",
                                "users",
                                "add",
                                "no way",
                                "--password-stdin",
                                "--config",
                                config().toString())
                        .err())
                .contains("'no way' is not a user name");
    }

    @Test
    void aStaffAccountAddedWithTheCommandReadsEveryReportOfTheRunningGateway() throws Exception {
        Path config = config();
        assertThat(run(
                                "curl secret 1\n",
                                "users",
                                "add",
                                "ops",
                                "--staff",
                                "--password-stdin",
                                "--config",
                                config.toString())
                        .code())
                .isZero();
        assertThat(run("viewer secret\n", "users", "add", "viewer", "--password-stdin", "--config", config.toString())
                        .code())
                .isZero();
        Vertx vertx = Vertx.vertx();
        Vertx peer = Vertx.vertx();
        try {
            ConfigLoader loader = ServeCommand.loader();
            Server server = await(Server.start(vertx, loader.load(Optional.of(config), Map.of()), loader, false));
            WebClient client = WebClient.create(peer);
            String ops =
                    "Basic " + Base64.getEncoder().encodeToString("ops:curl secret 1".getBytes(StandardCharsets.UTF_8));
            String viewer = "Basic "
                    + Base64.getEncoder().encodeToString("viewer:viewer secret".getBytes(StandardCharsets.UTF_8));
            for (String path : List.of(
                    "/ratelimit/api/summary",
                    "/ratelimit/api/offenders",
                    "/ratelimit/api/rules",
                    "/ratelimit/api/timeseries?days=2",
                    "/ratelimit/dashboard/offenders.csv?days=30",
                    "/ratelimit/dashboard/offender/?key=ip:127.0.0.1",
                    "/ratelimit/dashboard/")) {
                HttpResponse<Buffer> staff = await(client.get(server.port(), "127.0.0.1", path)
                        .putHeader("Authorization", ops)
                        .send());
                assertThat(staff.statusCode()).as(path).isEqualTo(200);
                assertThat(staff.getHeader("X-RateLimit-Limit"))
                        .as("the dashboard is not limited")
                        .isNull();
                assertThat(await(client.get(server.port(), "127.0.0.1", path).send())
                                .statusCode())
                        .isEqualTo(403);
                assertThat(await(client.get(server.port(), "127.0.0.1", path)
                                        .putHeader("Authorization", viewer)
                                        .send())
                                .statusCode())
                        .isEqualTo(403);
            }
            assertThat(Files.exists(dir.resolve("staff.properties"))).isTrue();
            await(server.stop());
        } finally {
            Await.close(vertx, peer);
        }
    }
}
