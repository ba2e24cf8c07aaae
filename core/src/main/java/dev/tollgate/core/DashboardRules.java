package dev.tollgate.core;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreException;
import dev.tollgate.events.RuleConflictException;
import dev.tollgate.events.StoredRule;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The rules staff keep from the dashboard: checked as the configuration loader checks a file's rules, saved in the
 * event store with a version (so that two editors cannot overwrite each other), audited there, and laid over the
 * configuration's rules ({@link Tollgate#updateDashboardRules}).
 *
 * <p>The store is the truth. After every change this node loads the stored rules again and puts them in force before
 * the change's future completes, and it publishes {@value #CHANGED} on the event bus, so that every node of a cluster
 * sharing the store loads them within moments; each node also loads them when it starts and every
 * {@value #RESYNC_MILLIS} ms, so that a notice lost on the way is made up for. A stored rule that this node cannot put
 * in force (an algorithm its backend lacks) is left out and named once in the log and in {@link #problems()}; the
 * others apply.
 *
 * <p>Every method may be called from any thread.
 */
public final class DashboardRules {

    /** The event-bus address of the notice that the stored rules changed; the body is the rule's name. */
    public static final String CHANGED = "tollgate.rules.changed";

    /** How often every node loads the stored rules again, in case it missed a notice. */
    public static final long RESYNC_MILLIS = 5_000;

    /** The action of a change that creates a rule. */
    public static final String CREATE = "create";
    /** The action of a change to a rule's settings. */
    public static final String UPDATE = "update";
    /** The action of a change that only enables a rule. */
    public static final String ENABLE = "enable";
    /** The action of a change that only disables a rule. */
    public static final String DISABLE = "disable";

    private static final Logger LOG = Logger.getLogger(DashboardRules.class.getName());

    private final Tollgate tollgate;
    private final Optional<EventStore> store;
    private final Object loads = new Object();
    /** The last load, which the next one follows; loads never overlap, so rules are never put back to older ones. */
    private Future<Void> lastLoad = Future.succeededFuture();
    /** A load queued behind {@link #lastLoad} and not started yet, which a new request can join. */
    private Future<Void> queuedLoad;

    private volatile Map<String, StoredRule> loaded = Map.of();
    private volatile Map<String, String> problems = Map.of();
    private volatile String loadFailure;

    DashboardRules(Tollgate tollgate, Optional<EventStore> store) {
        this.tollgate = tollgate;
        this.store = store;
    }

    /**
     * Checks a rule's configuration as the configuration loader checks a file's rule, and that this node's backend
     * can put it in force.
     *
     * @throws SettingsException keyed by the field at fault ({@code limit}, {@code window}, ...), with the loader's
     *     message
     */
    public Rule check(JsonObject config) {
        Objects.requireNonNull(config, "config");
        Rule rule = Rule.fromJson(config);
        if (rule.name().length() > EventStore.MAX_RULE_NAME) {
            throw new SettingsException("name", "at most " + EventStore.MAX_RULE_NAME + " characters");
        }
        if (rule.name().chars().anyMatch(Character::isISOControl)) {
            throw new SettingsException("name", "a rule's name cannot hold control characters");
        }
        tollgate.gatekeeper().checkRule(rule);
        return rule;
    }

    /** The stored rules, by name ascending, as the store holds them now. */
    public Future<List<StoredRule>> stored() {
        return withStore(EventStore::storedRules);
    }

    /**
     * Creates a rule: checks it ({@link #check}), stores it at version 1 and puts it in force on this node before the
     * future completes.
     *
     * @return the rule as stored; fails with a {@link SettingsException} for a rule the loader would refuse, a
     *     {@link RuleConflictException} when a dashboard rule of its name exists, an {@link EventStoreException} when
     *     the store cannot keep it
     */
    public Future<StoredRule> create(JsonObject config, String who) {
        return save(config, 0, who, CREATE);
    }

    /**
     * Replaces the rule {@code name} when it is still at {@code expectedVersion}, as {@link #create} does; its action
     * in the audit is {@value #ENABLE} or {@value #DISABLE} when only {@code enabled} changed, else {@value #UPDATE}.
     * The configuration may leave out the name; one naming another rule is refused.
     *
     * @return fails as {@link #create}, and with a {@link RuleConflictException} when the rule is at another version
     *     (0: it does not exist)
     */
    public Future<StoredRule> update(String name, JsonObject config, long expectedVersion, String who) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        JsonObject named = config.copy();
        Object given = named.getValue("name");
        if (given == null) {
            named.put("name", name);
        } else if (!name.equals(given)) {
            return Future.failedFuture(new SettingsException(
                    "name",
                    "a rule keeps its name; to rename '" + name + "', create the new rule and delete this one"));
        }
        return withStore(s -> s.storedRules())
                .compose(rules -> save(named, expectedVersion, who, action(rules, name, expectedVersion, named)));
    }

    /**
     * Deletes the rule {@code name} when it is still at {@code expectedVersion}; the configuration's rule of that name,
     * if any, is in force again on this node before the future completes.
     */
    public Future<Void> delete(String name, long expectedVersion, String who) {
        Objects.requireNonNull(name, "name");
        return withStore(s -> s.deleteRule(name, expectedVersion, who, now()))
                .compose(deleted -> changed(name))
                .mapEmpty();
    }

    /**
     * Loads the stored rules and puts those that changed in force. Loads never overlap: a call while one runs joins the
     * next.
     */
    public Future<Void> reload() {
        synchronized (loads) {
            if (queuedLoad != null) {
                return queuedLoad;
            }
            boolean[] started = {false};
            Future<Void> next = lastLoad.transform(previous -> {
                synchronized (loads) {
                    started[0] = true;
                    queuedLoad = null;
                }
                return load();
            });
            // the previous load may have ended already, so that this one has started by now
            queuedLoad = started[0] ? null : next;
            lastLoad = next;
            return next;
        }
    }

    /** The stored rules in force on this node, by name, as last loaded. */
    public Map<String, StoredRule> loaded() {
        return loaded;
    }

    /** The stored rules this node could not put in force, by name, with why; empty when all apply. */
    public Map<String, String> problems() {
        return problems;
    }

    /** Why the last load failed, when it did: the rules of the load before stay in force. */
    public Optional<String> loadFailure() {
        return Optional.ofNullable(loadFailure);
    }

    private Future<StoredRule> save(JsonObject config, long expectedVersion, String who, String action) {
        Rule rule;
        try {
            rule = check(config);
        } catch (SettingsException e) {
            return Future.failedFuture(e);
        }
        return withStore(s -> s.saveRule(rule.name(), rule.toJson(), expectedVersion, who, action, now()))
                .compose(saved -> changed(saved.name()).map(saved));
    }

    /** Puts the change in force here, then tells the other nodes. */
    private Future<Void> changed(String name) {
        return reload().eventually(() -> {
            tollgate.vertx().eventBus().publish(CHANGED, name);
            return Future.succeededFuture();
        });
    }

    private static String action(List<StoredRule> rules, String name, long expectedVersion, JsonObject config) {
        for (StoredRule stored : rules) {
            if (stored.name().equals(name) && stored.version() == expectedVersion) {
                JsonObject before = stored.config().copy();
                JsonObject after;
                try {
                    after = Rule.fromJson(config).toJson();
                } catch (SettingsException e) {
                    return UPDATE;
                }
                boolean wasEnabled = before.getBoolean("enabled", true);
                boolean enabled = after.getBoolean("enabled", true);
                before.remove("enabled");
                after.remove("enabled");
                if (wasEnabled != enabled && before.equals(after)) {
                    return enabled ? ENABLE : DISABLE;
                }
            }
        }
        return UPDATE;
    }

    private Future<Void> load() {
        return withStore(EventStore::storedRules).transform(read -> {
            if (read.failed()) {
                String failure = read.cause().getMessage();
                // INFO: an unreachable store is reported once, at WARNING, by the recorder; this is its consequence
                if (!failure.equals(loadFailure)) {
                    LOG.info("Cannot load the dashboard's rules from the event store (" + failure
                            + "); the rules loaded before stay in force, and the next try is in "
                            + RESYNC_MILLIS / 1000 + " s");
                }
                loadFailure = failure;
                return Future.failedFuture(read.cause());
            }
            if (loadFailure != null) {
                LOG.info("The dashboard's rules load from the event store again");
                loadFailure = null;
            }
            apply(read.result());
            return Future.succeededFuture();
        });
    }

    private void apply(List<StoredRule> stored) {
        Map<String, StoredRule> byName = new LinkedHashMap<>();
        stored.forEach(rule -> byName.put(rule.name(), rule));
        if (sameVersions(byName, loaded)) {
            return;
        }
        List<Rule> rules = new ArrayList<>(stored.size());
        Map<String, String> refused = new LinkedHashMap<>();
        for (StoredRule rule : stored) {
            try {
                rules.add(check(rule.config().copy().put("name", rule.name())));
            } catch (SettingsException | IllegalArgumentException e) {
                refused.put(rule.name(), e.getMessage());
                StoredRule before = loaded.get(rule.name());
                if (before == null || before.version() != rule.version() || !problems.containsKey(rule.name())) {
                    LOG.warning("The dashboard's rule '" + Printable.escape(rule.name()) + "' (version "
                            + rule.version() + ") cannot be put in force on this node and is left out: "
                            + Printable.escape(e.getMessage()) + "; edit or delete it on the dashboard's Rules page");
                }
            }
        }
        try {
            tollgate.updateDashboardRules(rules);
        } catch (SettingsException e) {
            LOG.warning("The dashboard's rules cannot be put in force (" + Printable.escape(e.getMessage())
                    + "); the rules before stay in force");
            return;
        }
        problems = Map.copyOf(refused);
        loaded = Map.copyOf(byName);
    }

    private static boolean sameVersions(Map<String, StoredRule> next, Map<String, StoredRule> current) {
        if (next.size() != current.size()) {
            return false;
        }
        for (StoredRule rule : next.values()) {
            StoredRule now = current.get(rule.name());
            if (now == null || now.version() != rule.version()) {
                return false;
            }
        }
        return true;
    }

    private <T> Future<T> withStore(Function<EventStore, Future<T>> call) {
        if (store.isEmpty()) {
            return Future.failedFuture(new EventStoreException(
                    "no event store is set, so no rules can be kept from the dashboard; set store.type"));
        }
        try {
            return call.apply(store.get());
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private Instant now() {
        long nanos = tollgate.clock().epochNanos();
        return Instant.ofEpochMilli(Math.floorDiv(nanos, 1_000_000L));
    }
}
