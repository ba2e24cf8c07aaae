package dev.tollgate.alerting;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/** A real SMTP server (GreenMail) on an ephemeral port of 127.0.0.1, with the messages it received. */
public final class SmtpReceiver implements AutoCloseable {

    /** One received message, read back. */
    public record Message(String from, List<String> to, String subject, String text) {}

    private final GreenMail greenMail;
    private final boolean tls;

    private SmtpReceiver(boolean tls, GreenMailConfiguration configuration) {
        this.tls = tls;
        ServerSetup setup = new ServerSetup(
                        0, "127.0.0.1", tls ? ServerSetup.PROTOCOL_SMTPS : ServerSetup.PROTOCOL_SMTP)
                .dynamicPort();
        this.greenMail = new GreenMail(setup).withConfiguration(configuration);
        greenMail.start();
    }

    /** A plain SMTP server that takes mail without a login. */
    public static SmtpReceiver start() {
        return new SmtpReceiver(false, GreenMailConfiguration.aConfig().withDisabledAuthentication());
    }

    /** An SMTP server speaking TLS from the first byte, with its own self-signed certificate. */
    public static SmtpReceiver startTls() {
        return new SmtpReceiver(true, GreenMailConfiguration.aConfig().withDisabledAuthentication());
    }

    /** A plain SMTP server that knows one user. */
    public static SmtpReceiver startWithLogin(String username, String password) {
        return new SmtpReceiver(
                false, GreenMailConfiguration.aConfig().withUser(username + "@example.com", username, password));
    }

    public int port() {
        return (tls ? greenMail.getSmtps() : greenMail.getSmtp()).getPort();
    }

    /** Every message received so far. */
    public List<Message> messages() {
        return Arrays.stream(greenMail.getReceivedMessages())
                .map(SmtpReceiver::read)
                .distinct()
                .toList();
    }

    @Override
    public void close() {
        greenMail.stop();
    }

    private static Message read(MimeMessage message) {
        try {
            Object content = message.getContent();
            String text = content instanceof String s ? s : String.valueOf(content);
            List<String> to = Arrays.stream(message.getRecipients(jakarta.mail.Message.RecipientType.TO))
                    .map(Address::toString)
                    .toList();
            return new Message(message.getFrom()[0].toString(), to, message.getSubject(), text.replace("\r\n", "\n"));
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("cannot read a received message", e);
        }
    }
}
