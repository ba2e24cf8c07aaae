package dev.tollgate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.plugin.SettingsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSetupTest {

    private static final Logger ROOT = Logger.getLogger("");
    private static final String[] NAMED = {"dev.tollgate", "com.hazelcast", "org.flywaydb", "io.netty"};

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader(Set.of("memory", "postgres"));
    private final Map<Handler, Level> handlerLevels = new HashMap<>();
    private final Map<Handler, Formatter> handlerFormats = new HashMap<>();
    private final Map<String, Level> levels = new HashMap<>();
    private final Handler console = new ConsoleHandler();

    @BeforeEach
    void remember() {
        ROOT.addHandler(console);
        for (Handler handler : ROOT.getHandlers()) {
            handlerLevels.put(handler, handler.getLevel());
            handlerFormats.put(handler, handler.getFormatter());
        }
        for (String name : NAMED) {
            levels.put(name, Logger.getLogger(name).getLevel());
        }
    }

    @AfterEach
    void restore() {
        handlerLevels.forEach(Handler::setLevel);
        handlerFormats.forEach(Handler::setFormatter);
        levels.forEach((name, level) -> Logger.getLogger(name).setLevel(level));
        ROOT.removeHandler(console);
    }

    private LogSetup load(String yaml) throws IOException {
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(file, yaml);
        return loader.load(Optional.of(file), Map.of()).logging();
    }

    @Test
    void byDefaultFlywayAndHazelcastSayOnlyWarningsWhileTollgateSaysInfo() throws IOException {
        LogSetup setup = load("");

        setup.apply();

        assertThat(setup.json()).isFalse();
        assertThat(Logger.getLogger("org.flywaydb.core.internal.command.DbMigrate")
                        .isLoggable(Level.INFO))
                .isFalse();
        assertThat(Logger.getLogger("org.flywaydb.core.FlywayExecutor").isLoggable(Level.WARNING))
                .isTrue();
        assertThat(Logger.getLogger("com.hazelcast.internal.cluster.ClusterService")
                        .isLoggable(Level.INFO))
                .isFalse();
        assertThat(Logger.getLogger("dev.tollgate.app.Server").isLoggable(Level.INFO))
                .isTrue();
        assertThat(Logger.getLogger("dev.tollgate.app.Server").isLoggable(Level.FINE))
                .isFalse();
        assertThat(console.getFormatter()).isInstanceOf(SimpleFormatter.class);
    }

    @Test
    void theLevelsOfTollgateAndOfNamedLoggersComeFromTheConfigurationOverTheDefaults() throws IOException {
        LogSetup setup = load("logging: { level: FINE, levels: { org.flywaydb: info, io.netty: severe } }\n");

        setup.apply();

        assertThat(setup.levels())
                .containsEntry("dev.tollgate", Level.FINE)
                .containsEntry("org.flywaydb", Level.INFO)
                .containsEntry("com.hazelcast", Level.WARNING)
                .containsEntry("io.netty", Level.SEVERE);
        assertThat(Logger.getLogger("dev.tollgate.events.Recorder").isLoggable(Level.FINE))
                .isTrue();
        assertThat(Logger.getLogger("org.flywaydb.core.FlywayExecutor").isLoggable(Level.INFO))
                .isTrue();
        assertThat(Logger.getLogger("io.netty.channel.Channel").isLoggable(Level.WARNING))
                .isFalse();
        assertThat(console.getLevel()).isEqualTo(Level.ALL);
    }

    @Test
    void theJsonFormatPutsTheJsonFormatterOnTheConsoleAndTextTakesItOff() throws IOException {
        load("logging: { format: json }\n").apply();

        assertThat(console.getFormatter()).isInstanceOf(JsonLogFormatter.class);

        load("logging: { format: text }\n").apply();

        assertThat(console.getFormatter()).isInstanceOf(SimpleFormatter.class);
    }

    @Test
    void refusesALevelOrFormatItDoesNotKnowNamingTheKey() {
        assertThatThrownBy(() -> load("logging: { level: loud }\n"))
                .isInstanceOf(SettingsException.class)
                .hasMessage("logging.level: expected one of info, warning, severe, config, fine, finer, finest, all,"
                        + " off, got 'loud'");
        assertThatThrownBy(() -> load("logging: { levels: { org.flywaydb: chatty } }\n"))
                .isInstanceOf(SettingsException.class)
                .hasMessage("logging.levels.org.flywaydb: expected one of info, warning, severe, config, fine,"
                        + " finer, finest, all, off, got 'chatty'");
        assertThatThrownBy(() -> load("logging: { format: xml }\n"))
                .isInstanceOf(SettingsException.class)
                .hasMessage("logging.format: expected one of text, json, got 'xml'");
    }
}
