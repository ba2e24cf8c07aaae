package dev.tollgate.core;

import dev.tollgate.limiter.Decision;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to one check of the limit-check protocol ({@link LimitChecks}), whatever carried it: the bus replies with
 * {@link #body()} or fails with {@link #status()} and {@link #message()}; the HTTP API sends both as they are.
 *
 * @param status   200 when a decision was made (allowed or not: the body says), 400 for a check that cannot be read,
 *                 404 for an unknown rule, 503 when the limiter could not decide and {@code failOpen} is off
 * @param body     the decision's JSON ({@link Decision#toJson()}) with the rule's name, or {@code {"error": ...}}
 * @param decision the limiter's decision, for the {@code X-RateLimit-*} headers; empty when none was made
 */
public record CheckAnswer(int status, JsonObject body, Optional<Decision> decision) {

    public CheckAnswer {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(decision, "decision");
    }

    /** A check that got no decision: {@code status} and a one-line reason. */
    public static CheckAnswer failure(int status, String message) {
        return new CheckAnswer(status, new JsonObject().put("error", message), Optional.empty());
    }

    /** Whether a decision was made (it may still refuse). */
    public boolean decided() {
        return status == 200;
    }

    /** The reason of a check that got no decision; empty text for one that did. */
    public String message() {
        return decided() ? "" : body.getString("error", "");
    }
}
