package dev.tollgate.alerting;

import dev.tollgate.alerting.spi.Alert;
import dev.tollgate.alerting.spi.AlertChannel;
import dev.tollgate.alerting.spi.AlertChannelProvider;
import dev.tollgate.plugin.Settings;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;

/**
 * Posts alerts as JSON to a URL, under the name {@value #NAME}. Settings:
 * <pre>
 * webhook:
 *   url: https://hooks.example.com/ratelimit   # required: http or https
 *   headers: { Authorization: "Bearer abc" }   # sent with every request
 *   timeout: 5s                                # default 5s: the whole request
 *   secret: s3cret                             # signs timestamp.body: X-Tollgate-Signature: sha256=HEX
 *   signatureHeader: X-Tollgate-Signature      # the signature's header
 * </pre>
 * Every request carries {@code Content-Type: application/json}, {@code X-Tollgate-Alert} with the
 * alert's type and {@code X-Tollgate-Timestamp} with the time of sending in epoch seconds; the body is
 * the alert's {@link Alert#body() body}. With a secret, the signature is {@code sha256=} and the
 * lower-case hex HMAC-SHA256 of the timestamp's digits, a {@code .} and the body's bytes, so that a
 * receiver that checks the signature and refuses an old timestamp refuses a replayed body. A status
 * outside 2xx is a failure.
 */
public final class WebhookChannelProvider implements AlertChannelProvider {

    /** The channel's name in configurations. */
    public static final String NAME = "webhook";
    /** How long one request may take when no {@code timeout} is set. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** The header that carries the signature when none is set. */
    public static final String DEFAULT_SIGNATURE_HEADER = "X-Tollgate-Signature";
    /** The header that carries the alert's type. */
    public static final String ALERT_HEADER = "X-Tollgate-Alert";
    /** The header that carries the time of sending, in seconds since the epoch, which the signature covers. */
    public static final String TIMESTAMP_HEADER = "X-Tollgate-Timestamp";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AlertChannel create(Vertx vertx, Settings settings) {
        return new WebhookChannel(vertx, options(settings), InstantSource.system());
    }

    /** The checked options in {@code settings}, the channel's section. */
    static WebhookChannel.Options options(Settings settings) {
        settings.requireOnly("webhook channel", Set.of("url", "headers", "timeout", "secret", "signatureHeader"));
        URI url = settings.url("url")
                .orElseThrow(() -> settings.problem("url", "required, as in url: https://hooks.example.com/ratelimit"));
        Duration timeout = settings.duration("timeout", DEFAULT_TIMEOUT);
        Optional<String> secret = settings.text("secret");
        String signatureHeader = settings.text("signatureHeader", DEFAULT_SIGNATURE_HEADER);
        if (!signatureHeader.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
            throw settings.problem(
                    "signatureHeader",
                    "expected a header name such as " + DEFAULT_SIGNATURE_HEADER + ", got '" + signatureHeader + "'");
        }
        return new WebhookChannel.Options(url, settings.texts("headers"), timeout, secret, signatureHeader);
    }
}
