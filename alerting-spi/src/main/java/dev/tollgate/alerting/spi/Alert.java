package dev.tollgate.alerting.spi;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * An alert as channels deliver it, rendered once for people and once for machines: email and logs use
 * {@link #subject()} and {@link #text()}, webhooks post {@link #body()}.
 *
 * @param type    {@code offenders}, {@code traffic-high}, {@code traffic-recovered}, or another kind's name
 * @param time    when it was raised, to the millisecond (anything finer is truncated)
 * @param subject one line saying what happened
 * @param text    the whole message, for people; lines separated by {@code \n}
 * @param body    the message for machines; channels send it as it is
 */
public record Alert(String type, Instant time, String subject, String text, JsonObject body) {

    /** The alert kind of offender alerts. */
    public static final String OFFENDERS = "offenders";
    /** The alert kind raised when the request rate goes above its threshold. */
    public static final String TRAFFIC_HIGH = "traffic-high";
    /** The alert kind raised when the request rate is back at or below its threshold. */
    public static final String TRAFFIC_RECOVERED = "traffic-recovered";

    public Alert {
        Objects.requireNonNull(type, "type");
        if (type.isEmpty()) {
            throw new IllegalArgumentException("an alert has a type");
        }
        time = Objects.requireNonNull(time, "time").truncatedTo(ChronoUnit.MILLIS);
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        body = Objects.requireNonNull(body, "body").copy();
    }

    /** The body, a copy: the alert stays as it was made. */
    @Override
    public JsonObject body() {
        return body.copy();
    }

    /**
     * The message published on {@code tollgate.alerts}: {@code type} followed by the fields of the body
     * (a {@code type} in the body gives way to the alert's).
     */
    public JsonObject toJson() {
        JsonObject json = new JsonObject().put("type", type);
        body.forEach(field -> {
            if (!field.getKey().equals("type")) {
                json.put(field.getKey(), field.getValue());
            }
        });
        return json;
    }
}
