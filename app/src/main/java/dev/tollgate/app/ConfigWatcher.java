package dev.tollgate.app;

import dev.tollgate.core.ConfigException;
import dev.tollgate.core.Tollgate;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Watches {@code serve}'s configuration file and applies changed rules without a restart: the whole
 * new set at once, to the next request. A file that fails validation leaves the running rules in
 * place and logs one line saying why. Changes to other keys are reported as needing a restart.
 */
final class ConfigWatcher {

    private static final Logger LOG = Logger.getLogger(ConfigWatcher.class.getName());
    private static final long PERIOD_MS = 500;

    private final Vertx vertx;
    private final Tollgate tollgate;
    private final ConfigLoader loader;
    private final Path file;
    private JsonObject running;
    private byte[] lastContent;
    private long timer = -1;
    private volatile long reloads;
    private volatile String lastError = "";

    ConfigWatcher(Vertx vertx, Tollgate tollgate, ConfigLoader loader, Path file, JsonObject running) {
        this.vertx = vertx;
        this.tollgate = tollgate;
        this.loader = loader;
        this.file = file;
        this.running = running;
        this.lastContent = read().orElse(new byte[0]);
    }

    void start() {
        timer = vertx.setPeriodic(PERIOD_MS, id -> vertx.executeBlocking(this::read, false).onSuccess(this::check));
    }

    void stop() {
        vertx.cancelTimer(timer);
    }

    /** How many times the rules were replaced. */
    long reloads() {
        return reloads;
    }

    /** The last reload error, or empty. */
    String lastError() {
        return lastError;
    }

    private Optional<byte[]> read() {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void check(Optional<byte[]> content) {
        if (content.isEmpty() || Arrays.equals(content.get(), lastContent)) {
            return;
        }
        lastContent = content.get();
        TollgateConfig next;
        try {
            next = loader.load(Optional.of(file), System.getenv());
            tollgate.updateRules(next.rules());
        } catch (ConfigException e) {
            lastError = e.getMessage();
            LOG.severe("configuration change in " + file + " not applied: " + e.getMessage() + "; keeping the "
                    + tollgate.rules().size() + " running rule(s)");
            return;
        }
        lastError = "";
        reloads++;
        LOG.info("rules reloaded from " + file + ": " + tollgate.rules().size() + " rule(s)");
        for (String section : next.json().fieldNames()) {
            if (!section.equals("rules") && !next.json().getValue(section).equals(running.getValue(section))) {
                LOG.warning("'" + section + "' changed in " + file + "; restart Tollgate to apply it");
            }
        }
        running = next.json();
    }
}
