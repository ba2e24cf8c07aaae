package dev.tollgate.core;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Optional;

/**
 * Answers {@code tollgate.limit.check} with the {@link LimitChecks limit-check protocol}: a request
 * {@code {"rule": "api", "key": "job:42", "permits": 1}} takes permits under a configured rule, and the reply is the
 * decision's JSON plus the rule's name. Failures answer with code 400 (bad request) or 404 (unknown rule) and a
 * message; a failing limiter answers 503, whatever {@code failOpen} says: the caller decides what to do then. Each
 * check is recorded on {@code tollgate.events} with method {@code BUS}.
 */
final class LimitCheckService extends VerticleBase {

    private final LimitChecks checks;
    private MessageConsumer<Object> consumer;

    LimitCheckService(LimitChecks checks) {
        this.checks = checks;
    }

    @Override
    public Future<?> start() {
        consumer = vertx.eventBus().consumer(Addresses.LIMIT_CHECK, this::check);
        return consumer.completion();
    }

    private void check(Message<Object> message) {
        checks.check(message.body(), "BUS", Optional.empty(), false).onSuccess(answer -> {
            if (answer.decided()) {
                message.reply(answer.body());
            } else {
                message.fail(answer.status(), answer.message());
            }
        });
    }
}
