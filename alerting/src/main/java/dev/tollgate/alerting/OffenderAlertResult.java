package dev.tollgate.alerting;

import dev.tollgate.events.Offender;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one run of offender alerts did.
 *
 * @param enabled     whether offender alerts are on (a threshold above 0)
 * @param threshold   blocked requests that make an offender
 * @param days        the window
 * @param offenders   the offenders alerted (or, in a preview, that would be), most blocked first
 * @param coolingDown offenders over the threshold left out because they were alerted within the cooldown
 * @param channels    what became of the alert on each configured channel; empty when nothing was sent
 */
public record OffenderAlertResult(
        boolean enabled,
        long threshold,
        int days,
        List<Offender> offenders,
        List<Offender> coolingDown,
        Map<String, Delivery> channels) {

    public OffenderAlertResult {
        offenders = List.copyOf(offenders);
        coolingDown = List.copyOf(coolingDown);
        channels = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(channels, "channels")));
    }

    /** The result of a run with offender alerts off. */
    public static OffenderAlertResult disabled() {
        return new OffenderAlertResult(false, 0, 0, List.of(), List.of(), Map.of());
    }

    /** Whether any channel failed to send. */
    public boolean anyFailed() {
        return channels.values().stream().anyMatch(delivery -> !delivery.sent());
    }

    /**
     * {@code {"enabled": false, "offenders": [], "channels": {}}} when off, else
     * {@code {"enabled": true, "threshold", "days", "offenders": [{key, blocked_count}], "channels": {name:
     * {"sent": true, ...} or {"sent": false, "error": "..."}}}}.
     */
    public JsonObject toJson() {
        JsonObject json = new JsonObject().put("enabled", enabled);
        if (enabled) {
            json.put("threshold", threshold).put("days", days);
        }
        JsonArray list = new JsonArray();
        offenders.forEach(offender -> list.add(offender.toJson()));
        JsonObject byChannel = new JsonObject();
        channels.forEach((name, delivery) -> byChannel.put(name, delivery.toJson()));
        return json.put("offenders", list).put("channels", byChannel);
    }
}
