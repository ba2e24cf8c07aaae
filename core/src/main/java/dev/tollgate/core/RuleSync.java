package dev.tollgate.core;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * Keeps a node's dashboard rules in step with the store: loads them at start, on every {@value
 * DashboardRules#CHANGED} notice and every {@value DashboardRules#RESYNC_MILLIS} ms. A store that cannot answer at
 * start does not stop the node: {@link DashboardRules} names it in the log and the next load tries again.
 */
final class RuleSync extends VerticleBase {

    private final DashboardRules rules;
    private MessageConsumer<String> notices;
    private long timer = -1;

    RuleSync(DashboardRules rules) {
        this.rules = rules;
    }

    @Override
    public Future<?> start() {
        notices = vertx.eventBus().consumer(DashboardRules.CHANGED, notice -> rules.reload());
        timer = vertx.setPeriodic(DashboardRules.RESYNC_MILLIS, id -> rules.reload());
        return notices.completion().compose(v -> rules.reload().recover(failed -> Future.succeededFuture()));
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        return notices.unregister();
    }
}
