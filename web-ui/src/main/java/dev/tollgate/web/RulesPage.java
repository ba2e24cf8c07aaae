package dev.tollgate.web;

import dev.tollgate.core.DashboardRules;
import dev.tollgate.core.Rule;
import dev.tollgate.core.Tollgate;
import dev.tollgate.events.RuleChange;
import dev.tollgate.events.RuleConflictException;
import dev.tollgate.events.StoredRule;
import dev.tollgate.events.TimeRange;
import dev.tollgate.plugin.SettingsException;
import dev.tollgate.web.view.MessageView;
import dev.tollgate.web.view.RulesView;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Rules page, {@code dashboard/rules/}: every rule in force with its counts over {@code ?days=}, where it comes
 * from, the form that creates a dashboard rule or edits one ({@code ?edit=name}; {@code ?override=name} starts a
 * dashboard rule from the configuration's), and the audit. Its forms post to {@code dashboard/rules/} (create),
 * {@code dashboard/rules/{name}} (edit), {@code .../enabled} and {@code .../delete}, each with the version read and
 * the session's token; htmx swaps the page's body with the answer, and a problem is shown beside its field in the
 * configuration loader's words.
 */
final class RulesPage {

    private static final List<String> TEXT_FIELDS = RulesView.TEXT_FIELDS;
    private static final List<String> FLAGS = RulesView.FLAGS;
    /** Changes shown in the audit table. */
    static final int AUDIT_ROWS = 20;

    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final Tollgate tollgate;
    private final DashboardRules rules;
    private final RulesInForce inForce;
    private final Templates templates;
    private final boolean editable;

    RulesPage(Tollgate tollgate, RulesInForce inForce, Templates templates, boolean editable) {
        this.tollgate = tollgate;
        this.rules = tollgate.dashboardRules();
        this.inForce = inForce;
        this.templates = templates;
        this.editable = editable;
    }

    /** {@code GET dashboard/rules/}: the page, its form empty, or filled from {@code ?edit=} or {@code ?override=}. */
    void page(RoutingContext ctx) {
        Optional<RulesView.Form> form = Optional.empty();
        if (editable) {
            String edit = Parameters.text(ctx, "edit");
            String override = Parameters.text(ctx, "override");
            form = Optional.of(
                    !edit.isEmpty()
                            ? editForm(ctx, edit)
                            : !override.isEmpty() ? overrideForm(ctx, override) : empty(ctx));
        }
        render(ctx, 200, form, Optional.empty());
    }

    /** {@code POST dashboard/rules/}: creates a rule from the form. */
    void create(RoutingContext ctx) {
        if (!editable(ctx)) {
            return;
        }
        MultiMap fields = ctx.request().formAttributes();
        Map<String, String> typed = typed(fields);
        saved(ctx, rules.create(config(typed), RulesApi.who(ctx)), typed, Optional.empty(), 0);
    }

    /** {@code POST dashboard/rules/{name}}: saves the edited rule at the version the form read. */
    void edit(RoutingContext ctx) {
        if (!editable(ctx)) {
            return;
        }
        String name = ctx.pathParam("name");
        MultiMap fields = ctx.request().formAttributes();
        Map<String, String> typed = typed(fields);
        typed.put("name", name);
        long version = version(fields);
        saved(ctx, rules.update(name, config(typed), version, RulesApi.who(ctx)), typed, Optional.of(name), version);
    }

    /** {@code POST dashboard/rules/{name}/enabled}: enables ({@code enabled=true}) or disables a dashboard rule. */
    void enable(RoutingContext ctx) {
        if (!editable(ctx)) {
            return;
        }
        String name = ctx.pathParam("name");
        MultiMap fields = ctx.request().formAttributes();
        boolean enabled = "true".equals(fields.get("enabled"));
        long version = version(fields);
        StoredRule stored = rules.loaded().get(name);
        if (stored == null) {
            render(
                    ctx,
                    status(ctx),
                    Optional.of(empty(ctx)),
                    Optional.of("There is no dashboard rule '" + name + "'."));
            return;
        }
        JsonObject config = stored.config().put("name", name).put("enabled", enabled);
        rules.update(name, config, version, RulesApi.who(ctx)).onComplete(done -> {
            if (done.failed()) {
                refused(ctx, done.cause(), empty(ctx));
            } else {
                render(
                        ctx,
                        200,
                        Optional.of(empty(ctx)),
                        Optional.of((enabled ? "Enabled" : "Disabled") + " '" + name + "' (version "
                                + done.result().version() + ")."));
            }
        });
    }

    /** {@code POST dashboard/rules/{name}/delete}: deletes a dashboard rule at the version the page read. */
    void delete(RoutingContext ctx) {
        if (!editable(ctx)) {
            return;
        }
        String name = ctx.pathParam("name");
        long version = version(ctx.request().formAttributes());
        rules.delete(name, version, RulesApi.who(ctx)).onComplete(done -> {
            if (done.failed()) {
                refused(ctx, done.cause(), empty(ctx));
                return;
            }
            String after = tollgate.configurationRule(name).isPresent()
                    ? " The configuration's rule of that name is in force again."
                    : "";
            render(ctx, 200, Optional.of(empty(ctx)), Optional.of("Deleted '" + name + "'." + after));
        });
    }

    private void saved(
            RoutingContext ctx,
            Future<StoredRule> save,
            Map<String, String> typed,
            Optional<String> editing,
            long version) {
        save.onComplete(done -> {
            if (done.succeeded()) {
                StoredRule rule = done.result();
                render(
                        ctx,
                        200,
                        Optional.of(empty(ctx)),
                        Optional.of("Saved '" + rule.name() + "' (version " + rule.version() + "); it is in force."));
                return;
            }
            Throwable failure = done.cause();
            RulesView.Form form =
                    new RulesView.Form(editing, version, typed, Map.of(), Optional.empty(), formAction(ctx, editing));
            if (failure instanceof SettingsException refused && fieldOf(refused).isPresent()) {
                form = new RulesView.Form(
                        editing,
                        version,
                        typed,
                        Map.of(fieldOf(refused).get(), refused.problem()),
                        Optional.empty(),
                        form.action());
                render(ctx, status(ctx), Optional.of(form), Optional.empty());
            } else {
                refused(ctx, failure, form);
            }
        });
    }

    /** A problem the editor can act on, shown above the form; anything else to the dashboard's failure handler. */
    private void refused(RoutingContext ctx, Throwable failure, RulesView.Form form) {
        String message;
        if (failure instanceof SettingsException refused) {
            message = refused.getMessage();
        } else if (failure instanceof RuleConflictException conflict) {
            message = conflict.actualVersion() == 0
                    ? "The rule '" + conflict.name() + "' was deleted (or created) by someone else since you read it;"
                            + " nothing was changed. Its state now is shown below."
                    : "Someone else changed '" + conflict.name() + "' since you read version "
                            + conflict.expectedVersion() + " (it is at version " + conflict.actualVersion()
                            + " now); nothing was changed. Read it again and repeat your change.";
        } else {
            ctx.fail(failure);
            return;
        }
        RulesView.Form shown = new RulesView.Form(
                form.editing(), form.version(), form.values(), form.errors(), Optional.of(message), form.action());
        render(ctx, status(ctx), Optional.of(shown), Optional.empty());
    }

    /** The form's field a problem belongs to, when it is one of them. */
    private static Optional<String> fieldOf(SettingsException refused) {
        String key = refused.key();
        return TEXT_FIELDS.contains(key) || FLAGS.contains(key) ? Optional.of(key) : Optional.empty();
    }

    private void render(RoutingContext ctx, int status, Optional<RulesView.Form> form, Optional<String> notice) {
        TimeRange window = Parameters.window(ctx);
        Future<List<JsonObject>> listed = inForce.listed(window);
        Future<List<RuleChange>> audit = auditRows();
        Future.all(listed, audit).onComplete(done -> {
            if (done.failed()) {
                ctx.fail(done.cause());
                return;
            }
            RulesView view = new RulesView(
                    StaffAccess.page(ctx, "Rules"),
                    window.name(),
                    rows(listed.result()),
                    editable,
                    form,
                    notice,
                    rules.problems(),
                    changes(audit.result()),
                    action(ctx));
            Responses.html(ctx, status, templates.render(Responses.fromHtmx(ctx) ? "rulesBody" : "rules", view));
        });
    }

    private Future<List<RuleChange>> auditRows() {
        return tollgate.store()
                .map(store -> store.ruleChanges(AUDIT_ROWS).recover(failed -> Future.succeededFuture(List.of())))
                .orElse(Future.succeededFuture(List.of()));
    }

    private List<RulesView.Row> rows(List<JsonObject> listed) {
        List<RulesView.Row> rows = new ArrayList<>(listed.size());
        for (JsonObject rule : listed) {
            String name = rule.getString("name");
            JsonArray methods = rule.getJsonArray("methods", new JsonArray());
            String match = (methods.isEmpty()
                            ? ""
                            : String.join(
                                            ", ",
                                            methods.stream()
                                                    .map(String::valueOf)
                                                    .toList()) + " ")
                    + rule.getString("path");
            boolean fromDashboard = "dashboard".equals(rule.getString("source"));
            // a concurrency rule has no algorithm, window nor burst: its kind and limit say it all; an adaptive rule
            // shows its bounds and the limit it has reached on this node
            boolean concurrency = "concurrency".equals(rule.getString("kind"));
            // nor has a quota: its period (and its zone, unless UTC) say when its allowance comes back, and its
            // blocked count is of quota refusals alone
            boolean quota = "quota".equals(rule.getString("kind"));
            boolean adaptive = "adaptive".equals(rule.getString("kind"));
            String algorithm = concurrency || quota
                    ? rule.getString("kind")
                    : adaptive ? "adaptive " + rule.getString("algorithm") : rule.getString("algorithm");
            String limit;
            if (concurrency) {
                limit = rule.getLong("limit") + " in flight";
            } else if (quota) {
                String zone = rule.getString("zone", "UTC");
                limit = rule.getLong("limit") + " / " + rule.getString("period")
                        + (zone.equals("UTC") ? "" : " (" + zone + ")");
            } else if (adaptive) {
                limit = tollgate.adaptiveLimit(name).orElse(rule.getInteger("initialLimit")) + " in flight ("
                        + rule.getLong("minLimit") + ".." + rule.getLong("maxLimit") + ")";
            } else {
                limit = rule.getLong("limit") + " / " + rule.getString("window")
                        + ("delay".equals(rule.getString("onExceed"))
                                ? ", delayed up to " + rule.getString("maxDelay")
                                : "");
            }
            rows.add(new RulesView.Row(
                    rows.size(),
                    name,
                    match,
                    rule.getString("key"),
                    algorithm,
                    limit,
                    adaptive ? rule.getLong("maxLimit") : rule.getLong(concurrency || quota ? "limit" : "burst"),
                    adaptive ? 1L : rule.getLong("cost"),
                    rule.getInteger("priority"),
                    rule.getBoolean("shadow"),
                    rule.getBoolean("enabled"),
                    rule.getString("source"),
                    fromDashboard && tollgate.configurationRule(name).isPresent(),
                    rule.getLong("version", 0L),
                    rule.getLong("hits"),
                    rule.getLong("blocked"),
                    rule.getLong("shadow_blocked"),
                    Parameters.encode(name)));
        }
        return rows;
    }

    static List<RulesView.Change> changes(List<RuleChange> changes) {
        List<RulesView.Change> rows = new ArrayList<>(changes.size());
        for (RuleChange change : changes) {
            rows.add(new RulesView.Change(
                    SECONDS.format(change.at()),
                    change.who(),
                    change.action(),
                    change.ruleName(),
                    summary(change.before(), change.after()),
                    change.before() == null ? "" : change.before().encode(),
                    change.after() == null ? "" : change.after().encode()));
        }
        return rows;
    }

    /** What changed between two configurations, field by field: {@code limit 2 → 5, window 1m → 2m}. */
    static String summary(JsonObject before, JsonObject after) {
        if (before == null) {
            return "created";
        }
        if (after == null) {
            return "deleted";
        }
        Set<String> fields = new LinkedHashSet<>(before.fieldNames());
        fields.addAll(after.fieldNames());
        List<String> changed = new ArrayList<>();
        for (String field : fields) {
            Object was = before.getValue(field);
            Object is = after.getValue(field);
            if (was == null ? is != null : !was.equals(is)) {
                changed.add(field + " " + shown(was) + " → " + shown(is));
            }
        }
        return changed.isEmpty() ? "no change" : String.join(", ", changed);
    }

    private static String shown(Object value) {
        if (value == null) {
            return "(none)";
        }
        return value instanceof JsonArray array
                ? String.join(", ", array.stream().map(String::valueOf).toList())
                : String.valueOf(value);
    }

    private RulesView.Form empty(RoutingContext ctx) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("path", "/*");
        values.put("key", "ip");
        values.put("kind", "rate");
        values.put("algorithm", Rule.DEFAULT_ALGORITHM);
        values.put("enabled", "true");
        return new RulesView.Form(
                Optional.empty(), 0, values, Map.of(), Optional.empty(), formAction(ctx, Optional.empty()));
    }

    private RulesView.Form editForm(RoutingContext ctx, String name) {
        StoredRule stored = rules.loaded().get(name);
        if (stored == null || !"dashboard".equals(tollgate.ruleSource(name))) {
            RulesView.Form form = empty(ctx);
            return new RulesView.Form(
                    Optional.empty(),
                    0,
                    form.values(),
                    Map.of(),
                    Optional.of("There is no dashboard rule '" + name + "' to edit; start one from a rule below."),
                    form.action());
        }
        Map<String, String> values = values(stored.config().put("name", name));
        return new RulesView.Form(
                Optional.of(name),
                stored.version(),
                values,
                Map.of(),
                Optional.empty(),
                formAction(ctx, Optional.of(name)));
    }

    private RulesView.Form overrideForm(RoutingContext ctx, String name) {
        Optional<Rule> rule = tollgate.configurationRule(name);
        if (rule.isEmpty()) {
            return empty(ctx);
        }
        return new RulesView.Form(
                Optional.empty(),
                0,
                values(rule.get().toJson()),
                Map.of(),
                Optional.empty(),
                formAction(ctx, Optional.empty()));
    }

    /** A rule's configuration as the form shows it. */
    static Map<String, String> values(JsonObject config) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String field : TEXT_FIELDS) {
            Object value = config.getValue(field);
            if (value instanceof JsonArray array) {
                values.put(
                        field,
                        String.join(", ", array.stream().map(String::valueOf).toList()));
            } else if (value != null) {
                values.put(field, String.valueOf(value));
            }
        }
        for (String flag : FLAGS) {
            values.put(flag, String.valueOf(config.getBoolean(flag, flag.equals("enabled"))));
        }
        return values;
    }

    /** The form's fields as typed: text stripped, checkboxes {@code true} or {@code false}. */
    static Map<String, String> typed(MultiMap fields) {
        Map<String, String> typed = new LinkedHashMap<>();
        for (String field : TEXT_FIELDS) {
            String value = fields.get(field);
            if (value != null) {
                typed.put(field, value.strip());
            }
        }
        for (String flag : FLAGS) {
            String value = fields.get(flag);
            typed.put(flag, String.valueOf(value != null && !value.equals("false")));
        }
        return typed;
    }

    /**
     * The rule the form describes, as a configuration file would write it; empty fields take their defaults. A
     * concurrency, adaptive or quota rule leaves out the algorithm the form starts with (an adaptive rule is then told
     * to name aimd or gradient), a quota rule and a rate rule the status a concurrency rule would have by default, and
     * a rate rule its kind, so that switching the kind needs no clearing of fields; {@code onExceed: refuse}, the
     * default, is left out too.
     */
    static JsonObject config(Map<String, String> typed) {
        JsonObject config = new JsonObject();
        String kind = typed.getOrDefault("kind", "rate");
        for (String field : TEXT_FIELDS) {
            String value = typed.getOrDefault(field, "");
            boolean defaultAlgorithm = field.equals("algorithm") && value.equals(Rule.DEFAULT_ALGORITHM);
            boolean defaultStatus = field.equals("status") && value.equals("429");
            boolean defaultForKind = switch (kind) {
                case "concurrency", "adaptive" -> defaultAlgorithm;
                case "quota" -> defaultAlgorithm || defaultStatus;
                default -> (field.equals("kind") && value.equals("rate")) || defaultStatus;
            };
            boolean defaulted = (field.equals("onExceed") && value.equals("refuse")) || defaultForKind;
            if (!value.isEmpty() && !defaulted) {
                config.put(field, value);
            }
        }
        for (String flag : FLAGS) {
            config.put(flag, Boolean.parseBoolean(typed.get(flag)));
        }
        return config;
    }

    private static long version(MultiMap fields) {
        String version = fields.get("version");
        return version == null || !version.matches("[0-9]{1,18}") ? 0 : Long.parseLong(version);
    }

    private boolean editable(RoutingContext ctx) {
        if (!editable) {
            Responses.html(
                    ctx,
                    403,
                    templates.render(
                            "message",
                            new MessageView(
                                    StaffAccess.page(ctx, "Rules are read-only"), 403, RulesApi.READ_ONLY + ".", "")));
        }
        return editable;
    }

    /** htmx swaps only what a 2xx answer brings; a browser without it shows any answer. */
    private static int status(RoutingContext ctx) {
        return Responses.fromHtmx(ctx) ? 200 : 400;
    }

    private static String action(RoutingContext ctx) {
        return Responses.base(ctx) + "dashboard/rules/";
    }

    private static String formAction(RoutingContext ctx, Optional<String> editing) {
        return action(ctx) + editing.map(Parameters::encode).orElse("");
    }
}
