package dev.tollgate.alerting;

import dev.tollgate.alerting.spi.Alert;
import dev.tollgate.alerting.spi.AlertChannel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import java.time.Duration;
import java.util.List;

/** Sends each alert as one plain-text message: the alert's subject and text. */
final class EmailChannel implements AlertChannel {

    /** What {@link EmailChannelProvider} read from the configuration. */
    record Options(MailConfig mail, String from, List<String> to, Duration timeout) {
        Options {
            to = List.copyOf(to);
        }
    }

    private final Vertx vertx;
    private final Options options;
    private final MailClient client;
    /** Every send starts here: the mail client's connection pool is not safe to enter from several threads at once. */
    private final io.vertx.core.Context context;

    private final String server;
    private volatile boolean closed;

    EmailChannel(Vertx vertx, Options options) {
        this.vertx = vertx;
        this.options = options;
        this.client = MailClient.create(vertx, options.mail());
        this.context = vertx.getOrCreateContext();
        this.server = "SMTP server " + options.mail().getHostname() + ":"
                + options.mail().getPort();
    }

    @Override
    public Future<JsonObject> send(Alert alert) {
        if (closed) {
            return Future.failedFuture(new AlertingException("the email channel is closed"));
        }
        MailMessage message = new MailMessage()
                .setFrom(options.from())
                .setTo(options.to())
                .setSubject(alert.subject())
                .setText(alert.text());
        io.vertx.core.Promise<JsonObject> promise = io.vertx.core.Promise.promise();
        context.runOnContext(v -> {
            try {
                client.sendMail(message)
                        .map(result ->
                                new JsonObject().put("recipients", new JsonArray(List.copyOf(result.getRecipients()))))
                        .onComplete(promise);
            } catch (RuntimeException e) {
                promise.fail(e);
            }
        });
        Future<JsonObject> sent = promise.future();
        return Bounded.within(
                        vertx,
                        sent,
                        options.timeout(),
                        "no answer from the " + server + " within " + Bounded.text(options.timeout()))
                .recover(e -> Future.failedFuture(
                        e instanceof AlertingException
                                ? e
                                : new AlertingException(server + ": " + AlertingException.describe(e), e)));
    }

    @Override
    public Future<Void> close() {
        if (closed) {
            return Future.succeededFuture();
        }
        closed = true;
        return client.close();
    }
}
