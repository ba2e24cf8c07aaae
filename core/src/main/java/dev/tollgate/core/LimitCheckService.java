package dev.tollgate.core;

import dev.tollgate.events.RateLimitEvent;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * Answers {@code tollgate.limit.check}: a request {@code {"rule": "api", "key": "job:42", "permits": 1}}
 * takes permits under a configured rule, and the reply is the decision's JSON plus the rule's name.
 * Failures answer with code 400 (bad request) or 404 (unknown rule) and a message; a failing limiter
 * answers 503. Each check is recorded on {@code tollgate.events} with method {@code BUS} and counted in
 * {@code tollgate_decisions_total}. A shadow rule never refuses: its reply says {@code "allowed": true},
 * {@code "shadow": true}, and {@code "shadowBlocked"} whether the rule would have refused.
 */
final class LimitCheckService extends VerticleBase {

    private final Tollgate tollgate;
    private final VerdictAssembler verdicts;
    private MessageConsumer<JsonObject> consumer;

    LimitCheckService(Tollgate tollgate, VerdictAssembler verdicts) {
        this.tollgate = tollgate;
        this.verdicts = verdicts;
    }

    @Override
    public Future<?> start() {
        consumer = vertx.eventBus().consumer(Addresses.LIMIT_CHECK, this::check);
        return consumer.completion();
    }

    private void check(Message<JsonObject> message) {
        JsonObject body = message.body();
        if (body == null) {
            message.fail(400, "expected {\"rule\": ..., \"key\": ..., \"permits\": ...}");
            return;
        }
        String rule = body.getValue("rule") instanceof String s ? s : null;
        String key = body.getValue("key") instanceof String s ? s : null;
        Object permitsValue = body.getValue("permits", 1L);
        if (rule == null || rule.isEmpty() || key == null || key.isEmpty()) {
            message.fail(400, "missing 'rule' or 'key'");
            return;
        }
        if (!(permitsValue instanceof Number permits) || permits.longValue() < 1) {
            message.fail(400, "'permits' must be a whole number of at least 1");
            return;
        }
        tollgate.checkKey(rule, key, permits.longValue()).onComplete(result -> {
            if (result.succeeded()) {
                RuleResult ruleResult = result.result();
                RateLimitEvent event = verdicts.eventFor(ruleResult, "", "BUS");
                tollgate.metrics()
                        .decision(rule, !event.allowed() ? "blocked" : event.shadow() ? "shadow_blocked" : "allowed");
                tollgate.publish(event);
                // a shadow rule never refuses: the caller goes ahead, told what the rule would have said
                JsonObject reply = ruleResult.decision().orElseThrow().toJson().put("rule", rule);
                if (ruleResult.rule().shadow()) {
                    reply.put("allowed", true).put("shadow", true).put("shadowBlocked", event.shadow());
                }
                message.reply(reply);
            } else if (result.cause() instanceof IllegalArgumentException bad) {
                message.fail(bad instanceof UnknownRuleException ? 404 : 400, bad.getMessage());
            } else {
                message.fail(
                        503, "the limiter could not decide: " + result.cause().getMessage());
            }
        });
    }
}
