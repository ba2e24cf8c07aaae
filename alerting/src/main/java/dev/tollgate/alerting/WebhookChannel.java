package dev.tollgate.alerting;

import dev.tollgate.alerting.spi.Alert;
import dev.tollgate.alerting.spi.AlertChannel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Posts each alert's body as JSON with the time of sending in {@code X-Tollgate-Timestamp}, and, when a
 * secret is set, a signature over that time and the body, so that a receiver can refuse a body that
 * was changed or that is replayed later.
 */
final class WebhookChannel implements AlertChannel {

    /** What {@link WebhookChannelProvider} read from the configuration. */
    record Options(
            URI url, Map<String, String> headers, Duration timeout, Optional<String> secret, String signatureHeader) {
        Options {
            headers = Map.copyOf(headers);
        }
    }

    private final Vertx vertx;
    private final Options options;
    private final InstantSource clock;
    private final WebClient client;
    /** Where requests go, without path or query: those may hold a token, and messages must not. */
    private final String origin;

    private volatile boolean closed;

    WebhookChannel(Vertx vertx, Options options, InstantSource clock) {
        this.vertx = vertx;
        this.options = options;
        this.clock = clock;
        int timeout = (int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis());
        this.client = WebClient.create(
                vertx, new WebClientOptions().setConnectTimeout(timeout).setKeepAlive(false));
        URI url = options.url();
        this.origin = url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    /**
     * {@code sha256=} and the HMAC-SHA256 under {@code secret} of {@code timestamp}, {@code .} and
     * {@code body}, in lower-case hex.
     */
    static String signature(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    @Override
    public Future<JsonObject> send(Alert alert) {
        if (closed) {
            return Future.failedFuture(new AlertingException("the webhook channel is closed"));
        }
        Buffer body = alert.body().toBuffer();
        long timestamp = clock.instant().getEpochSecond();
        Future<JsonObject> posted;
        try {
            HttpRequest<Buffer> request = client.postAbs(options.url().toString())
                    .timeout(options.timeout().toMillis())
                    .putHeader("Content-Type", "application/json")
                    .putHeader(WebhookChannelProvider.ALERT_HEADER, alert.type());
            options.headers().forEach(request::putHeader);
            // after the configured headers, which must not replace the time the signature covers
            request.putHeader(WebhookChannelProvider.TIMESTAMP_HEADER, Long.toString(timestamp));
            options.secret()
                    .ifPresent(secret -> request.putHeader(
                            options.signatureHeader(), signature(secret, timestamp, body.getBytes())));
            posted = request.sendBuffer(body).compose(response -> {
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return Future.succeededFuture(new JsonObject().put("status", status));
                }
                return Future.failedFuture(new AlertingException("the webhook at " + origin + " answered " + status
                        + (response.statusMessage() == null ? "" : " " + response.statusMessage())));
            });
        } catch (RuntimeException e) {
            posted = Future.failedFuture(e);
        }
        String noAnswer = "no answer from the webhook at " + origin + " within " + Bounded.text(options.timeout());
        return Bounded.within(vertx, posted, options.timeout().plusMillis(500), noAnswer)
                .recover(e -> {
                    if (e instanceof AlertingException) {
                        return Future.failedFuture(e);
                    }
                    if (e instanceof TimeoutException) {
                        return Future.failedFuture(new AlertingException(noAnswer, e));
                    }
                    return Future.failedFuture(new AlertingException(
                            "cannot reach the webhook at " + origin + ": " + AlertingException.describe(e), e));
                });
    }

    @Override
    public Future<Void> close() {
        if (closed) {
            return Future.succeededFuture();
        }
        closed = true;
        client.close();
        return Future.succeededFuture();
    }
}
