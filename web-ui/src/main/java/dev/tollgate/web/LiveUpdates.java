package dev.tollgate.web;

import dev.tollgate.core.Addresses;
import dev.tollgate.web.view.Live;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * {@code dashboard/events}: a server-sent event stream fed from {@code tollgate.stats}. Each message of the
 * bus becomes two events: {@code stats}, the message's JSON as it is (for scripts), and {@code live}, the
 * live counters as an HTML fragment (for htmx's SSE extension). A client that cannot keep up misses
 * messages rather than piling them up in memory.
 */
final class LiveUpdates {

    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final Vertx vertx;
    private final Templates templates;

    LiveUpdates(Vertx vertx, Templates templates) {
        this.vertx = vertx;
        this.templates = templates;
    }

    void stream(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        response.setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.STATS, message -> {
            if (!response.closed() && !response.ended() && !response.writeQueueFull()) {
                JsonObject stats = message.body();
                response.write(event("stats", stats.encode())
                        + event("live", templates.render("live", live(stats)).strip()));
            }
        });
        response.closeHandler(closed -> consumer.unregister());
        response.exceptionHandler(failure -> consumer.unregister());
        response.write("retry: 2000\n\n");
    }

    /** The live counters of one {@code tollgate.stats} message. */
    static Live live(JsonObject stats) {
        JsonObject second = stats.getJsonObject("second", new JsonObject());
        JsonObject minute = stats.getJsonObject("minute", new JsonObject());
        Long timestamp = stats.getLong("timestamp");
        return new Live(
                second.getLong("requests", 0L),
                second.getLong("blocked", 0L),
                minute.getLong("requests", 0L),
                minute.getLong("allowed", 0L),
                minute.getLong("blocked", 0L),
                stats.getLong("dropped", 0L),
                timestamp == null ? "" : SECONDS.format(Instant.ofEpochSecond(timestamp)));
    }

    /** One server-sent event; every line of {@code data} gets its own {@code data:} field. */
    static String event(String name, String data) {
        StringBuilder out = new StringBuilder(data.length() + 64)
                .append("event: ")
                .append(name)
                .append('\n');
        for (String line : data.split("\r\n|\r|\n", -1)) {
            out.append("data: ").append(line).append('\n');
        }
        return out.append('\n').toString();
    }
}
