package dev.tollgate.examples;

import dev.tollgate.alerting.spi.Alert;
import dev.tollgate.alerting.spi.AlertChannel;
import dev.tollgate.events.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonObject;

/**
 * Appends {@code {"type", "time", "subject", "body"}} and a newline per alert. Appends are chained one after
 * another, so lines never interleave however many alerts are sent at once.
 */
final class JsonLinesChannel implements AlertChannel {

    private final Vertx vertx;
    private final String path;
    private Future<?> last = Future.succeededFuture();
    private boolean closed;

    JsonLinesChannel(Vertx vertx, String path) {
        this.vertx = vertx;
        this.path = path;
    }

    @Override
    public synchronized Future<JsonObject> send(Alert alert) {
        if (closed) {
            return Future.failedFuture(new IllegalStateException("the jsonl channel is closed"));
        }
        Buffer line = new JsonObject()
                .put("type", alert.type())
                .put("time", Timestamps.format(alert.time()))
                .put("subject", alert.subject())
                .put("body", alert.body())
                .toBuffer()
                .appendString("\n");
        Future<JsonObject> appended = last.transform(previous -> append(line));
        last = appended;
        return appended;
    }

    private Future<JsonObject> append(Buffer line) {
        return vertx.fileSystem()
                .open(path, new OpenOptions().setAppend(true).setCreate(true).setWrite(true))
                .compose(file -> file.write(line).eventually(file::close))
                .map(written -> new JsonObject().put("path", path))
                .recover(e -> Future.failedFuture(
                        new IllegalStateException("cannot append to " + path + ": " + e.getMessage(), e)));
    }

    @Override
    public synchronized Future<Void> close() {
        closed = true;
        return last.transform(done -> Future.succeededFuture());
    }
}
