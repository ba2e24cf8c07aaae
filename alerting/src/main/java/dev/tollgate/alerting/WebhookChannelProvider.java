package dev.tollgate.alerting;

import dev.tollgate.alerting.spi.AlertChannel;
import dev.tollgate.alerting.spi.AlertChannelProvider;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
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
    public AlertChannel create(Vertx vertx, JsonObject config) {
        return new WebhookChannel(vertx, settings(config), InstantSource.system());
    }

    /** The checked settings of {@code config}. */
    static WebhookChannel.Settings settings(JsonObject config) {
        ChannelSettings top = ChannelSettings.of(
                config, "webhook channel", Set.of("url", "headers", "timeout", "secret", "signatureHeader"));
        String text = top.requiredText("url", "https://hooks.example.com/ratelimit");
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new SettingsException("url", "not a URL: '" + text + "'");
        }
        if (url.getScheme() == null
                || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
                || url.getHost() == null) {
            throw new SettingsException("url", "expected an http:// or https:// URL with a host, got '" + text + "'");
        }
        Duration timeout = top.duration("timeout", DEFAULT_TIMEOUT);
        Optional<String> secret = top.text("secret");
        String signatureHeader = top.text("signatureHeader").orElse(DEFAULT_SIGNATURE_HEADER);
        if (!signatureHeader.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
            throw new SettingsException(
                    "signatureHeader",
                    "expected a header name such as " + DEFAULT_SIGNATURE_HEADER + ", got '" + signatureHeader + "'");
        }
        return new WebhookChannel.Settings(url, top.texts("headers"), timeout, secret, signatureHeader);
    }
}
