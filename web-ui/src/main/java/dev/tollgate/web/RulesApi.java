package dev.tollgate.web;

import dev.tollgate.core.DashboardRules;
import dev.tollgate.core.Printable;
import dev.tollgate.core.Rule;
import dev.tollgate.core.Tollgate;
import dev.tollgate.events.RuleConflictException;
import dev.tollgate.events.StoredRule;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The write side of {@code api/config/rules}, for scripts: {@code POST api/config/rules} creates a dashboard rule,
 * {@code PUT api/config/rules/{name}} replaces it and {@code DELETE api/config/rules/{name}} deletes it; {@code GET
 * api/config/rules/{name}} reads the rule in force of that name. Bodies are the rule as a configuration file writes
 * it, in JSON. A dashboard rule's version is its {@code ETag}; PUT and DELETE must send it as {@code If-Match}, so that
 * two editors cannot overwrite each other (409 when it moved on, 428 without one). A rule the loader would refuse gets
 * 400 naming the field, with the loader's message. With {@code dashboard.rulesEditable: false} every change is 403.
 */
final class RulesApi {

    /** The largest version an {@code If-Match} may name. */
    private static final Pattern VERSION = Pattern.compile("(?:W/)?\"?([0-9]{1,18})\"?");

    private final Tollgate tollgate;
    private final DashboardRules rules;
    private final boolean editable;

    RulesApi(Tollgate tollgate, boolean editable) {
        this.tollgate = tollgate;
        this.rules = tollgate.dashboardRules();
        this.editable = editable;
    }

    /** {@code GET api/config/rules/{name}}: the rule in force, its source and, for a dashboard rule, its version. */
    void read(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        Optional<Rule> inForce =
                tollgate.rules().stream().filter(r -> r.name().equals(name)).findFirst();
        if (inForce.isEmpty()) {
            Responses.json(ctx, 404, new JsonObject().put("error", "no rule named '" + name + "' is in force"));
            return;
        }
        JsonObject answer = inForce.get().toJson().put("source", tollgate.ruleSource(name));
        StoredRule stored = rules.loaded().get(name);
        if (stored != null && "dashboard".equals(tollgate.ruleSource(name))) {
            answer.put("version", stored.version())
                    .put("updated_at", stored.toJson().getString("updated_at"))
                    .put("updated_by", stored.updatedBy());
            ctx.response().putHeader(HttpHeaders.ETAG, etag(stored.version()));
        }
        Responses.json(ctx, 200, answer);
    }

    void create(RoutingContext ctx) {
        Optional<JsonObject> body = editableBody(ctx);
        if (body.isPresent()) {
            answer(ctx, rules.create(body.get(), who(ctx)), 201);
        }
    }

    void replace(RoutingContext ctx) {
        Optional<JsonObject> body = editableBody(ctx);
        if (body.isEmpty()) {
            return;
        }
        Optional<Long> version = ifMatch(ctx);
        if (version.isPresent()) {
            answer(ctx, rules.update(ctx.pathParam("name"), body.get(), version.get(), who(ctx)), 200);
        }
    }

    void delete(RoutingContext ctx) {
        if (!editable(ctx)) {
            return;
        }
        Optional<Long> version = ifMatch(ctx);
        if (version.isPresent()) {
            rules.delete(ctx.pathParam("name"), version.get(), who(ctx)).onComplete(done -> {
                if (done.failed()) {
                    refused(ctx, done.cause());
                } else {
                    ctx.response().setStatusCode(204).end();
                }
            });
        }
    }

    private void answer(RoutingContext ctx, Future<StoredRule> saved, int status) {
        saved.onComplete(done -> {
            if (done.failed()) {
                refused(ctx, done.cause());
                return;
            }
            StoredRule rule = done.result();
            String location = Responses.base(ctx) + "api/config/rules/" + Parameters.encode(rule.name());
            ctx.response().putHeader(HttpHeaders.ETAG, etag(rule.version()));
            if (status == 201) {
                ctx.response().putHeader(HttpHeaders.LOCATION, location);
            }
            Responses.json(
                    ctx,
                    status,
                    rule.config()
                            .put("name", rule.name())
                            .put("source", "dashboard")
                            .put("version", rule.version())
                            .put("updated_at", rule.toJson().getString("updated_at"))
                            .put("updated_by", rule.updatedBy()));
        });
    }

    /** A clear 400 or 409 for what the caller can change; anything else to the dashboard's failure handler. */
    static boolean refusedForCaller(RoutingContext ctx, Throwable failure) {
        if (failure instanceof SettingsException refused) {
            Responses.json(
                    ctx,
                    400,
                    new JsonObject()
                            .put("error", refused.getMessage())
                            .put("field", refused.key())
                            .put("problem", refused.problem()));
            return true;
        }
        if (failure instanceof RuleConflictException conflict) {
            String now = conflict.actualVersion() == 0
                    ? "there is no dashboard rule of that name now"
                    : "it is at version " + conflict.actualVersion() + " now";
            Responses.json(
                    ctx,
                    409,
                    new JsonObject()
                            .put(
                                    "error",
                                    "the rule '" + conflict.name() + "' changed since version "
                                            + conflict.expectedVersion() + " was read (" + now
                                            + "); read it again and repeat the change")
                            .put("name", conflict.name())
                            .put("expected_version", conflict.expectedVersion())
                            .put("actual_version", conflict.actualVersion()));
            return true;
        }
        return false;
    }

    private static void refused(RoutingContext ctx, Throwable failure) {
        if (!refusedForCaller(ctx, failure)) {
            ctx.fail(failure);
        }
    }

    private Optional<JsonObject> editableBody(RoutingContext ctx) {
        if (!editable(ctx)) {
            return Optional.empty();
        }
        try {
            JsonObject body = ctx.body().asJsonObject();
            if (body == null) {
                throw new DecodeException("empty");
            }
            return Optional.of(body);
        } catch (DecodeException | ClassCastException e) {
            Responses.json(
                    ctx,
                    400,
                    new JsonObject()
                            .put(
                                    "error",
                                    "the body must be a rule as a JSON object, such as {\"name\": \"login\", \"path\":"
                                            + " \"/login\", \"limit\": 5, \"window\": \"1m\"}"));
            return Optional.empty();
        }
    }

    private boolean editable(RoutingContext ctx) {
        if (!editable) {
            Responses.json(ctx, 403, new JsonObject().put("error", READ_ONLY));
        }
        return editable;
    }

    /** What a change on a read-only dashboard is told. */
    static final String READ_ONLY =
            "the rules are read-only here (dashboard.rulesEditable: false); change them in" + " the configuration file";

    private static Optional<Long> ifMatch(RoutingContext ctx) {
        String given = ctx.request().getHeader(HttpHeaders.IF_MATCH);
        if (given == null) {
            Responses.json(
                    ctx,
                    428,
                    new JsonObject()
                            .put(
                                    "error",
                                    "send the version you read as If-Match (the rule's ETag, such as \"3\"), so that"
                                            + " no one else's change is overwritten"));
            return Optional.empty();
        }
        Matcher version = VERSION.matcher(given.strip());
        if (!version.matches()) {
            Responses.json(
                    ctx,
                    400,
                    new JsonObject()
                            .put(
                                    "error",
                                    "If-Match must be the rule's ETag, such as \"3\", got '"
                                            + Printable.escape(
                                                    given.length() > 40 ? given.substring(0, 40) + "…" : given)
                                            + "'"));
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(version.group(1)));
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }

    static String who(RoutingContext ctx) {
        String user = ctx.get(StaffAccess.USER);
        return user == null ? "unknown" : user;
    }
}
