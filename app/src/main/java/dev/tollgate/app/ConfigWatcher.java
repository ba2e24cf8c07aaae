package dev.tollgate.app;

import dev.tollgate.core.Tollgate;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Watches {@code serve}'s configuration file and applies changed rules without a restart: the whole new
 * set at once, to the next request. A change is applied once the file has read the same twice in a row
 * (half a second apart), so a file caught half-written is not taken for a new configuration.
 *
 * <p>A reload never switches limits off by accident: a file that is deleted, unreadable, empty, not valid
 * YAML or JSON, without a {@code rules} key, or with a bad rule leaves the running rules in place and logs
 * one warning that says why (once per problem, not once per look). Only an explicit {@code rules: []}
 * removes every rule. Changes to other keys are reported as needing a restart.
 *
 * <p>{@link #reloadNow()} (what {@code SIGHUP} asks for, as systemd's {@code ExecReload} sends it) reads the file at
 * once and applies it without waiting for it to settle, with the same checks, and always logs what became of it.
 */
final class ConfigWatcher {

    private static final Logger LOG = Logger.getLogger(ConfigWatcher.class.getName());
    private static final long PERIOD_MS = 500;

    /** One look at the file: its bytes, or why there are none. */
    private static final class Look {
        private final byte[] content;
        private final String problem;

        Look(byte[] content, String problem) {
            this.content = content;
            this.problem = problem;
        }

        byte[] content() {
            return content;
        }

        String problem() {
            return problem;
        }
    }

    private final Vertx vertx;
    private final Context context;
    private final Tollgate tollgate;
    private final ConfigLoader loader;
    private final Path file;
    private JsonObject running;
    private byte[] applied;
    private byte[] seen;
    private long timer = -1;
    private final AtomicLong reloads = new AtomicLong();
    private volatile String lastError = "";

    ConfigWatcher(Vertx vertx, Tollgate tollgate, ConfigLoader loader, Path file, JsonObject running) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.tollgate = tollgate;
        this.loader = loader;
        this.file = file;
        this.running = running;
        this.applied = look().content();
        this.seen = applied;
    }

    void start() {
        context.runOnContext(started -> timer = vertx.setPeriodic(
                PERIOD_MS, id -> context.executeBlocking(this::look, false).onSuccess(look -> check(look, false))));
    }

    /**
     * Reads the file now and applies its rules if they changed, without waiting for a second look; gives what became
     * of it, in the words it logs.
     */
    Future<String> reloadNow() {
        return context.executeBlocking(this::look, false).map(look -> check(look, true));
    }

    void stop() {
        context.runOnContext(stopped -> vertx.cancelTimer(timer));
    }

    /** How many times the rules were replaced. */
    long reloads() {
        return reloads.get();
    }

    /** Why the latest change of the file was not applied; empty when it was. */
    String lastError() {
        return lastError;
    }

    private Look look() {
        try {
            if (Files.size(file) > ConfigLoader.MAX_FILE_BYTES) {
                return new Look(null, "the file is larger than " + ConfigLoader.MAX_FILE_BYTES + " bytes");
            }
            return new Look(Files.readAllBytes(file), "");
        } catch (NoSuchFileException e) {
            return new Look(null, "the file is gone");
        } catch (IOException e) {
            return new Look(
                    null, "the file cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    /** Applies the file's bytes when they changed; {@code asked}: at once, and saying so even when nothing changed. */
    private String check(Look look, boolean asked) {
        if (look.content() == null) {
            seen = null;
            return refuse(look.problem(), asked);
        }
        byte[] content = look.content();
        if (Arrays.equals(content, applied)) {
            seen = content;
            if (!lastError.isEmpty()) {
                lastError = "";
                return said(file + " is back as it was; the running rules are its rules", true);
            }
            return said("rules in " + file + " unchanged: " + tollgate.rules().size() + " rule(s) in force", asked);
        }
        if (!asked && !Arrays.equals(content, seen)) {
            // changed since the last look: wait for it to settle
            seen = content;
            return "";
        }
        TollgateConfig next;
        try {
            JsonObject fromFile = ConfigLoader.parse(file, content);
            if (!fromFile.containsKey("rules")) {
                return refuse(
                        content.length == 0 || new String(content, StandardCharsets.UTF_8).isBlank()
                                ? "the file is empty"
                                : "the file has no 'rules' key (write rules: [] to remove every rule)",
                        asked);
            }
            next = loader.load(file, fromFile, System.getenv());
            tollgate.updateRules(next.rules());
        } catch (SettingsException e) {
            return refuse(e.getMessage(), asked);
        }
        applied = content;
        seen = content;
        lastError = "";
        reloads.incrementAndGet();
        for (String section : next.json().fieldNames()) {
            if (!section.equals("rules") && !next.json().getValue(section).equals(running.getValue(section))) {
                LOG.warning("'" + section + "' changed in " + file + "; restart Tollgate to apply it");
            }
        }
        running = next.json();
        return said("rules reloaded from " + file + ": " + tollgate.rules().size() + " rule(s)", true);
    }

    private static String said(String what, boolean log) {
        if (log) {
            LOG.info(what);
        }
        return what;
    }

    private String refuse(String problem, boolean asked) {
        String what = "configuration change in " + file + " not applied: " + problem + "; keeping the "
                + tollgate.rules().size() + " running rule(s)";
        if (asked || !problem.equals(lastError)) {
            LOG.warning(what);
        }
        lastError = problem;
        return what;
    }
}
