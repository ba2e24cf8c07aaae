package dev.tollgate.web.view;

/**
 * What happened to one request, as the pages label it: every event is exactly one of these (see
 * {@link dev.tollgate.events.RateLimitEvent}).
 */
public enum Outcome {

    /** Served, no rule objecting. */
    ALLOWED("allowed", "outcome-allowed"),
    /** Refused. */
    BLOCKED("blocked", "outcome-blocked"),
    /** Served, though a shadow rule would have refused it. */
    SHADOW_BLOCKED("would block (shadow)", "outcome-shadow");

    private final String label;
    private final String cssClass;

    Outcome(String label, String cssClass) {
        this.label = label;
        this.cssClass = cssClass;
    }

    /** The outcome of an event with these flags: a refusal is blocked whatever its shadow flag. */
    public static Outcome of(boolean allowed, boolean shadow) {
        return !allowed ? BLOCKED : shadow ? SHADOW_BLOCKED : ALLOWED;
    }

    /** The words the pages show. */
    public String label() {
        return label;
    }

    /** The CSS class of a cell that shows it. */
    public String cssClass() {
        return cssClass;
    }
}
