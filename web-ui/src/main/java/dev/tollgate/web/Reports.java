package dev.tollgate.web;

import dev.tollgate.core.Tollgate;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.Offender;
import dev.tollgate.events.RuleHits;
import dev.tollgate.events.TimeRange;
import dev.tollgate.events.TimeSeries;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The reports for scripts: {@code api/summary}, {@code api/offenders}, {@code api/rules} and
 * {@code api/timeseries} as JSON, {@code dashboard/offenders.csv} as CSV; the same numbers as the page. The
 * offenders are ranked by enforced blocks; {@code ?shadow=true} ranks the would-be offenders of shadow rules instead,
 * whose requests were served.
 */
final class Reports {

    /** Rows of the offenders and rules reports unless {@code ?limit=} says otherwise. */
    static final int DEFAULT_ROWS = 20;

    static final int MAX_ROWS = 1000;

    private final Tollgate tollgate;

    Reports(Tollgate tollgate) {
        this.tollgate = tollgate;
    }

    void summary(RoutingContext ctx) {
        int days = Parameters.days(ctx);
        Optional<TimeRange> range = Parameters.range(ctx);
        withStore(
                ctx,
                store -> range.map(store::trafficSummary)
                        .orElseGet(() -> store.trafficSummary(days))
                        .map(summary -> summary.toJson()));
    }

    void offenders(RoutingContext ctx) {
        TimeRange window = Parameters.window(ctx);
        int limit = rows(ctx);
        if (Parameters.shadow(ctx)) {
            withStoreArray(ctx, store -> store.topShadowOffenders(window, limit).map(Reports::shadowOffendersJson));
        } else {
            withStoreArray(ctx, store -> store.topOffenders(window, limit).map(Reports::offendersJson));
        }
    }

    void rules(RoutingContext ctx) {
        TimeRange window = Parameters.window(ctx);
        int limit = rows(ctx);
        withStoreArray(ctx, store -> store.ruleHitCounts(window, limit).map(Reports::rulesJson));
    }

    /** The latest changes of the rules kept from the dashboard, newest first, at most {@code ?limit=}. */
    void audit(RoutingContext ctx) {
        int limit = rows(ctx);
        withStoreArray(
                ctx,
                store -> store.ruleChanges(limit).map(changes -> {
                    JsonArray rows = new JsonArray();
                    changes.forEach(change -> rows.add(change.toJson()));
                    return rows;
                }));
    }

    void timeSeries(RoutingContext ctx) {
        Optional<TimeRange> range = Parameters.range(ctx);
        if (range.isPresent()) {
            withStore(ctx, store -> store.timeSeries(range.get()).map(TimeSeries::toJson));
            return;
        }
        int days = Parameters.days(ctx);
        int buckets = Parameters.clamped(
                Parameters.first(ctx, "buckets").orElse(null), 1, TimeSeries.MAX_BUCKETS, Overview.buckets(days));
        withStore(ctx, store -> store.timeSeries(days, buckets).map(TimeSeries::toJson));
    }

    /**
     * The top offenders of the window, at most {@value OffendersCsv#MAX_ROWS}, as a CSV attachment; with
     * {@code ?shadow=true} the would-be offenders of shadow rules, under a header and file name of their own.
     */
    void offendersCsv(RoutingContext ctx) {
        TimeRange window = Parameters.window(ctx);
        boolean shadow = Parameters.shadow(ctx);
        Optional<EventStore> store = store(ctx);
        if (store.isEmpty()) {
            return;
        }
        Future<List<Offender>> ranking = shadow
                ? store.get().topShadowOffenders(window, OffendersCsv.MAX_ROWS)
                : store.get().topOffenders(window, OffendersCsv.MAX_ROWS);
        String header = shadow ? OffendersCsv.SHADOW_HEADER : OffendersCsv.HEADER;
        String fileName = shadow ? OffendersCsv.SHADOW_FILE_NAME : OffendersCsv.FILE_NAME;
        ranking.onComplete(answer -> {
            if (answer.failed()) {
                ctx.fail(answer.cause());
                return;
            }
            ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/csv; charset=utf-8")
                    .putHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"")
                    .end(OffendersCsv.render(header, answer.result()));
        });
    }

    static JsonArray offendersJson(List<Offender> offenders) {
        JsonArray rows = new JsonArray();
        offenders.forEach(offender -> rows.add(offender.toJson()));
        return rows;
    }

    static JsonArray shadowOffendersJson(List<Offender> offenders) {
        JsonArray rows = new JsonArray();
        offenders.forEach(offender -> rows.add(offender.toShadowJson()));
        return rows;
    }

    static JsonArray rulesJson(List<RuleHits> rules) {
        JsonArray rows = new JsonArray();
        rules.forEach(rule -> rows.add(rule.toJson()));
        return rows;
    }

    private static int rows(RoutingContext ctx) {
        return Parameters.clamped(Parameters.first(ctx, "limit").orElse(null), 1, MAX_ROWS, DEFAULT_ROWS);
    }

    private void withStore(RoutingContext ctx, Function<EventStore, Future<JsonObject>> query) {
        store(ctx)
                .ifPresent(store -> query.apply(store).onComplete(answer -> {
                    if (answer.failed()) {
                        ctx.fail(answer.cause());
                    } else {
                        Responses.json(ctx, 200, answer.result());
                    }
                }));
    }

    private void withStoreArray(RoutingContext ctx, Function<EventStore, Future<JsonArray>> query) {
        store(ctx)
                .ifPresent(store -> query.apply(store).onComplete(answer -> {
                    if (answer.failed()) {
                        ctx.fail(answer.cause());
                    } else {
                        Responses.json(ctx, 200, answer.result());
                    }
                }));
    }

    /** The event store; when recording is off, answers 503 and gives nothing. */
    Optional<EventStore> store(RoutingContext ctx) {
        return store(tollgate, ctx);
    }

    /** {@code handler} given the event store; when recording is off, a 503 saying so instead. */
    Handler<RoutingContext> withStore(BiConsumer<RoutingContext, EventStore> handler) {
        return ctx -> store(ctx).ifPresent(store -> handler.accept(ctx, store));
    }

    static Optional<EventStore> store(Tollgate tollgate, RoutingContext ctx) {
        if (tollgate.store().isEmpty()) {
            Responses.json(
                    ctx,
                    503,
                    new JsonObject()
                            .put(
                                    "error",
                                    "this Tollgate records no events (events.enabled is false), so there is nothing to report"));
        }
        return tollgate.store();
    }
}
