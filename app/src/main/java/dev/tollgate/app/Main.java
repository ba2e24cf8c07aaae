package dev.tollgate.app;

import dev.tollgate.plugin.SettingsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tollgate} command. Exit codes: 0 success, 1 a failure while running, 2 bad
 * configuration or arguments (one message naming the key, no stack trace).
 */
@Command(
        name = "tollgate",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Rate limiting and traffic analytics on Vert.x.",
        subcommands = {
            ServeCommand.class,
            MonitorCommand.class,
            UsersCommand.class,
            TokenCommand.class,
            AlertsCommand.class,
            CleanupCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    /** Bad configuration or arguments. */
    static final int CONFIG_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // before anything logs: serve's stop, in a shutdown hook, must still be able to log
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", ServeLogManager.class.getName());
        }
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
        }
        int code = run(
                args,
                new PrintWriter(System.out, true, Charset.defaultCharset()),
                new PrintWriter(System.err, true, Charset.defaultCharset()),
                System.getenv());
        System.exit(code);
    }

    /** Runs the command line with these streams and environment; returns the exit code. */
    static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        return run(args, System.in, out, err, env);
    }

    /** Runs the command line with this stdin too. */
    static int run(String[] args, InputStream stdin, PrintWriter out, PrintWriter err, Map<String, String> env) {
        CommandLine line = new CommandLine(new Main(), new Factory(env, stdin));
        line.setOut(out);
        line.setErr(err);
        line.setExitCodeExceptionMapper(e -> e instanceof SettingsException ? CONFIG_ERROR : 1);
        line.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine
                    .getErr()
                    .println("tollgate: " + (e instanceof SettingsException ? "configuration error: " : "")
                            + (e.getMessage() == null ? e.toString() : e.getMessage()));
            commandLine.getErr().flush();
            return e instanceof SettingsException ? CONFIG_ERROR : 1;
        });
        line.setParameterExceptionHandler((e, arguments) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("tollgate: " + e.getMessage());
            failed.getErr()
                    .println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
            failed.getErr().flush();
            return CONFIG_ERROR;
        });
        return line.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Gives commands the environment they read configuration overrides from. */
    private record Factory(Map<String, String> env, InputStream stdin) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type == ServeCommand.class) {
                return type.cast(new ServeCommand(env));
            }
            if (type == MonitorCommand.class) {
                return type.cast(new MonitorCommand(env));
            }
            if (type == UsersCommand.class) {
                return type.cast(new UsersCommand(env, stdin));
            }
            if (type == AlertsCommand.class) {
                return type.cast(new AlertsCommand(env));
            }
            if (type == CleanupCommand.class) {
                return type.cast(new CleanupCommand(env));
            }
            return CommandLine.defaultFactory().create(type);
        }
    }

    /** {@code tollgate 0.1.0 (commit 1a2b3c4)}: the jar's version and the commit it was built from, when known. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {
                "tollgate " + (version == null ? "development build" : version)
                        + commit().map(c -> " (commit " + c + ")").orElse("")
            };
        }

        /** The abbreviated commit of git.properties; empty for a build outside a git checkout. */
        static Optional<String> commit() {
            try (InputStream in = Main.class.getResourceAsStream("git.properties")) {
                if (in == null) {
                    return Optional.empty();
                }
                Properties git = new Properties();
                git.load(in);
                String id = git.getProperty("git.commit.id.abbrev", "").trim();
                if (id.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(id);
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }
}
