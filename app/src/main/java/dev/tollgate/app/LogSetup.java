package dev.tollgate.app;

import dev.tollgate.plugin.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The levels and the format of the logs, from {@code logging.*}: {@code logging.level} for Tollgate's own loggers
 * ({@value #TOLLGATE}), {@code logging.levels} for any logger by name, over it (by default Hazelcast's and
 * Flyway's at {@code warning}, whose start-up lines say nothing an operator acts on), and {@code logging.format}
 * for the console: {@code text} or {@code json}, one object a line.
 *
 * @param levels the level of each named logger, {@value #TOLLGATE} first
 * @param json whether the console writes JSON lines ({@link JsonLogFormatter})
 */
record LogSetup(Map<String, Level> levels, boolean json) {

    /** The parent of Tollgate's own loggers. */
    static final String TOLLGATE = "dev.tollgate";

    /** The levels {@code logging.level} and {@code logging.levels} take, in any case. */
    static final List<String> LEVELS =
            List.of("info", "warning", "severe", "config", "fine", "finer", "finest", "all", "off");

    // JUL holds loggers weakly: one collected would forget its level, and so would its children made later
    private static final List<Logger> CONFIGURED = new ArrayList<>();

    LogSetup {
        levels = Map.copyOf(levels);
    }

    /**
     * The setup {@code logging} (the section of that name) describes.
     *
     * @throws dev.tollgate.plugin.SettingsException naming the key of a level that is none of {@link #LEVELS}
     */
    static LogSetup from(Settings logging) {
        Map<String, Level> levels = new LinkedHashMap<>();
        levels.put(TOLLGATE, level(logging, "level"));
        Settings named = logging.under("levels");
        for (Map.Entry<String, String> entry : logging.texts("levels").entrySet()) {
            levels.put(entry.getKey(), level(named, entry.getKey()));
        }
        return new LogSetup(
                levels,
                logging.choice("format", List.of("text", "json"), "text").equals("json"));
    }

    private static Level level(Settings settings, String name) {
        String level = settings.choice(name, LEVELS, "info");
        return Level.parse(level.toUpperCase(Locale.ROOT));
    }

    /** The level this setup gives the logger {@code name} and its children, when it names one. */
    Level levelOf(String name) {
        return levels.get(name);
    }

    /**
     * Sets the levels of the named loggers and lets the root logger's handlers (the console) write whatever
     * those loggers pass; with {@code json}, gives those handlers a {@link JsonLogFormatter}, and otherwise
     * leaves their format alone (a JSON one goes back to the JDK's text).
     */
    void apply() {
        synchronized (CONFIGURED) {
            CONFIGURED.clear();
            levels.forEach((name, level) -> {
                Logger logger = Logger.getLogger(name);
                logger.setLevel(level);
                CONFIGURED.add(logger);
            });
            for (Handler handler : Logger.getLogger("").getHandlers()) {
                handler.setLevel(Level.ALL);
                if (json && !(handler.getFormatter() instanceof JsonLogFormatter)) {
                    handler.setFormatter(new JsonLogFormatter());
                } else if (!json && handler.getFormatter() instanceof JsonLogFormatter) {
                    handler.setFormatter(new SimpleFormatter());
                }
            }
        }
    }
}
