package dev.tollgate.web;

import dev.tollgate.core.Rule;
import dev.tollgate.core.Tollgate;
import dev.tollgate.events.RuleHits;
import dev.tollgate.events.StoredRule;
import dev.tollgate.events.TimeRange;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code api/config/rules}: every rule in force, highest priority first, as the configuration gives it (match, key,
 * algorithm, limit, window, burst, cost, shadow, priority, enabled), where it comes from ({@code configuration} or
 * {@code dashboard}), and its hits, blocked and
 * shadow-blocked events over the window of {@code ?range=} or {@code ?days=}; a dashboard rule also has its {@code version} (counted among the {@value Reports#MAX_ROWS} rules with the
 * most events of the window, as {@code api/rules} ranks them). A Tollgate without a store lists its rules with counts
 * of 0. Rules no longer in force are in {@code api/rules}, not here.
 */
final class RulesInForce {

    private final Tollgate tollgate;

    RulesInForce(Tollgate tollgate) {
        this.tollgate = tollgate;
    }

    void list(RoutingContext ctx) {
        int days = Parameters.days(ctx);
        Optional<TimeRange> range = Parameters.range(ctx);
        listed(range.orElseGet(() -> TimeRange.ofDays(days, 1))).onComplete(answer -> {
            if (answer.failed()) {
                ctx.fail(answer.cause());
                return;
            }
            JsonArray rules = new JsonArray();
            answer.result().forEach(rules::add);
            JsonObject answered = range.map(r -> new JsonObject()
                            .put("range", r.name())
                            .put("range_ms", r.length().toMillis()))
                    .orElseGet(() -> new JsonObject().put("days", days));
            Responses.json(ctx, 200, answered.put("rules", rules));
        });
    }

    /**
     * Every rule in force, highest priority first, as {@code api/config/rules} lists it: the rule's configuration,
     * its {@code source}, a dashboard rule's {@code version}, and its counts over {@code window}.
     */
    Future<List<JsonObject>> listed(TimeRange window) {
        List<Rule> rules = tollgate.rules();
        Map<String, StoredRule> stored = tollgate.dashboardRules().loaded();
        Future<List<RuleHits>> counted = tollgate.store()
                .map(store -> store.ruleHitCounts(window, Reports.MAX_ROWS))
                .orElse(Future.succeededFuture(List.of()));
        return counted.map(answer -> {
            Map<String, RuleHits> hits =
                    answer.stream().collect(Collectors.toMap(RuleHits::ruleName, Function.identity()));
            List<JsonObject> listed = new ArrayList<>(rules.size());
            for (Rule rule : rules) {
                RuleHits counts = hits.getOrDefault(rule.name(), new RuleHits(rule.name(), 0, 0, 0));
                String source = tollgate.ruleSource(rule.name());
                JsonObject row = rule.toJson().put("source", source);
                StoredRule kept = stored.get(rule.name());
                if (kept != null && source.equals("dashboard")) {
                    row.put("version", kept.version());
                }
                listed.add(row.put("hits", counts.hits())
                        .put("blocked", counts.blocked())
                        .put("shadow_blocked", counts.shadowBlocked()));
            }
            return listed;
        });
    }
}
