package dev.tollgate.monitor;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Objects;

/**
 * A change of the high-traffic alert: raised when the average request rate over the window goes
 * above the threshold, recovered when it is back at or below it. Evaluated at every second {@code t}
 * of log time over the hits in {@code (t - window, t]}.
 *
 * @param kind raised or recovered
 * @param epochSecond the second {@code t} at which the rate crossed the threshold
 * @param hits the requests in the window ending at {@code t}
 * @param window the length of the window
 * @param threshold the threshold in requests per second
 */
public record TrafficAlert(Kind kind, long epochSecond, long hits, Duration window, double threshold) {

    /** Raised or recovered; the names are the {@code type}s of Tollgate's alert JSON. */
    public enum Kind {
        /** The rate went above the threshold. */
        HIGH("traffic-high"),
        /** The rate is back at or below the threshold. */
        RECOVERED("traffic-recovered");

        private final String type;

        Kind(String type) {
            this.type = type;
        }

        /** {@code traffic-high} or {@code traffic-recovered}. */
        public String type() {
            return type;
        }
    }

    public TrafficAlert {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(window, "window");
    }

    /** The average requests per second over the window. */
    public double rate() {
        return hits / (double) window.toSeconds();
    }

    /**
     * The line the monitor prints:
     * {@code High traffic generated an alert - hits = 1206, triggered at 1549573956 (2019-02-07 21:12:36 UTC)}
     * or {@code High traffic alert recovered at 1549574043 (2019-02-07 21:14:03 UTC)}.
     */
    public String message() {
        return kind == Kind.HIGH
                ? "High traffic generated an alert - hits = " + hits + ", triggered at " + TimeText.withUtc(epochSecond)
                : "High traffic alert recovered at " + TimeText.withUtc(epochSecond);
    }

    /**
     * The alert as Tollgate's alert JSON: {@code type}, {@code time} (epoch second), {@code time_utc},
     * {@code hits}, {@code window} (seconds), {@code rate}, {@code threshold}, {@code message}.
     */
    public JsonObject toJson() {
        return new JsonObject()
                .put("type", kind.type())
                .put("time", epochSecond)
                .put("time_utc", TimeText.iso(epochSecond))
                .put("hits", hits)
                .put("window", window.toSeconds())
                .put("rate", rate())
                .put("threshold", threshold)
                .put("message", message());
    }
}
