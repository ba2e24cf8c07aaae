package dev.tollgate.alerting;

import dev.tollgate.alerting.spi.AlertChannel;
import dev.tollgate.alerting.spi.AlertChannelProvider;
import dev.tollgate.plugin.Settings;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Sends alerts by email, under the name {@value #NAME}. Settings:
 * <pre>
 * email:
 *   to: [ops@example.com]          # required: one address or a list
 *   from: tollgate@example.com     # default tollgate@localhost
 *   smtp:
 *     host: 127.0.0.1              # default localhost
 *     port: 25                     # default 25, or 465 with tls: true
 *     starttls: OPTIONAL           # DISABLED, OPTIONAL (default) or REQUIRED
 *     tls: false                   # true: TLS from the first byte (SMTPS); starttls does not apply
 *     username: alerts             # with a password: log in, and fail when the server cannot
 *     password: secret
 *     trustAll: false              # true accepts any server certificate (a test server's)
 *     timeout: 30s                 # connecting and sending one message
 * </pre>
 */
public final class EmailChannelProvider implements AlertChannelProvider {

    /** The channel's name in configurations. */
    public static final String NAME = "email";
    /** The SMTP port without TLS. */
    public static final int DEFAULT_PORT = 25;
    /** The SMTP port with TLS from the start. */
    public static final int DEFAULT_TLS_PORT = 465;
    /** How long connecting and sending one message may take. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AlertChannel create(Vertx vertx, Settings settings) {
        return new EmailChannel(vertx, options(settings));
    }

    /** The checked options in {@code settings}, the channel's section. */
    static EmailChannel.Options options(Settings settings) {
        settings.requireOnly("email channel", Set.of("to", "from", "smtp"));
        List<String> to = settings.list("to");
        if (to.isEmpty()) {
            throw settings.problem("to", "required: the recipients, as in to: [ops@example.com]");
        }
        to.forEach(address -> checkAddress(settings, "to", address));
        String from = settings.text("from", "tollgate@localhost");
        checkAddress(settings, "from", from);

        Settings smtp = settings.under("smtp")
                .requireOnly(
                        "SMTP settings",
                        Set.of("host", "port", "starttls", "tls", "username", "password", "trustAll", "timeout"));
        boolean tls = smtp.bool("tls", false);
        Duration timeout = smtp.duration("timeout", DEFAULT_TIMEOUT);
        MailConfig mail = new MailConfig()
                .setHostname(smtp.text("host", "localhost"))
                .setPort(smtp.port("port", tls ? DEFAULT_TLS_PORT : DEFAULT_PORT))
                .setSsl(tls)
                .setStarttls(
                        tls
                                ? StartTLSOptions.DISABLED
                                : smtp.choice("starttls", StartTLSOptions.class, StartTLSOptions.OPTIONAL))
                .setTrustAll(smtp.bool("trustAll", false))
                .setKeepAlive(false);
        mail.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        Optional<String> username = smtp.text("username");
        Optional<String> password = smtp.text("password");
        if (username.isPresent() != password.isPresent()) {
            throw smtp.problem(
                    username.isPresent() ? "password" : "username",
                    "a login needs both smtp.username and smtp.password");
        }
        if (username.isPresent()) {
            mail.setLogin(LoginOption.REQUIRED).setUsername(username.get()).setPassword(password.get());
        } else {
            mail.setLogin(LoginOption.DISABLED);
        }
        return new EmailChannel.Options(mail, from, to, timeout);
    }

    private static void checkAddress(Settings settings, String key, String address) {
        int at = address.indexOf('@');
        if (at < 1 || at == address.length() - 1 || address.chars().anyMatch(Character::isWhitespace)) {
            throw settings.problem(key, "expected an email address such as ops@example.com, got '" + address + "'");
        }
    }
}
