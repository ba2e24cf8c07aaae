package dev.tollgate.alerting;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of an alert on one channel: sent, with the channel's details, or not, with the reason.
 *
 * @param sent    whether the destination accepted the alert
 * @param error   why it did not, when it did not
 * @param details what the channel reported on success (recipients, HTTP status); empty on failure
 */
public record Delivery(boolean sent, Optional<String> error, JsonObject details) {

    public Delivery {
        Objects.requireNonNull(error, "error");
        details = Objects.requireNonNull(details, "details").copy();
        if (sent == error.isPresent()) {
            throw new IllegalArgumentException("a delivery has an error exactly when it was not sent");
        }
    }

    /** A delivery the destination accepted. */
    public static Delivery sent(JsonObject details) {
        return new Delivery(true, Optional.empty(), details);
    }

    /** A delivery that did not happen, and why (a blank reason reads {@code failed without a message}). */
    public static Delivery failed(String error) {
        return new Delivery(false, Optional.of(error.isBlank() ? "failed without a message" : error), new JsonObject());
    }

    @Override
    public JsonObject details() {
        return details.copy();
    }

    /** {@code {"sent": true, ...details}} or {@code {"sent": false, "error": "..."}}. */
    public JsonObject toJson() {
        if (!sent) {
            return new JsonObject().put("sent", false).put("error", error.get());
        }
        JsonObject json = new JsonObject().put("sent", true);
        details.forEach(field -> {
            if (!field.getKey().equals("sent")) {
                json.put(field.getKey(), field.getValue());
            }
        });
        return json;
    }
}
