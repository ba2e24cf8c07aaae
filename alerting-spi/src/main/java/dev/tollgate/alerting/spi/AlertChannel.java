package dev.tollgate.alerting.spi;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Delivers {@link Alert}s to one destination: a mailbox, a webhook, a log, a third party's service.
 * Channels are made by an {@link AlertChannelProvider} from their section of the configuration.
 *
 * <p>Every implementation:
 * <ol>
 *   <li>answers {@link #send} at once with a {@link Future} and never throws from it, never blocks the
 *       calling thread, and may be called from any thread, several times at once;</li>
 *   <li>succeeds once the destination has accepted the alert (the SMTP server took the message, the
 *       webhook answered 2xx), with details an operator may want to see, such as the recipients or the
 *       HTTP status; the details never hold a secret;</li>
 *   <li>otherwise fails the future with an exception whose message says in one line what went wrong,
 *       without passwords, signing keys or tokens of a URL;</li>
 *   <li>bounds every send by a timeout of its own, so the future completes promptly even when the
 *       destination accepts a connection and never answers;</li>
 *   <li>releases its connections on {@link #close}, which is idempotent; afterwards {@link #send} fails;</li>
 *   <li>passes the contract suite, {@code dev.tollgate.alerting.spi.AlertChannelContract} in the test-jar
 *       of this module, {@code tollgate-alerting-spi}.</li>
 * </ol>
 */
public interface AlertChannel {

    /** Delivers {@code alert}; the future holds the delivery's details, or fails saying why it did not happen. */
    Future<JsonObject> send(Alert alert);

    /** Releases what the channel holds. Idempotent. */
    Future<Void> close();
}
