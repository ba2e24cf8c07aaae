package dev.tollgate.events;

/**
 * A dashboard rule was not saved or deleted because it is not at the version the caller expected: someone else
 * changed, created or deleted it in between. The caller reads the rule again and decides; nothing was changed.
 */
public final class RuleConflictException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final long expectedVersion;
    private final long actualVersion;

    /**
     * @param name            the rule
     * @param expectedVersion the version the caller expected, 0 for "does not exist yet"
     * @param actualVersion   the version the rule is at, 0 when it does not exist
     */
    public RuleConflictException(String name, long expectedVersion, long actualVersion) {
        super(message(name, expectedVersion, actualVersion));
        this.name = name;
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    private static String message(String name, long expectedVersion, long actualVersion) {
        if (actualVersion == 0) {
            return "rule '" + name + "' does not exist";
        }
        if (expectedVersion == 0) {
            return "rule '" + name + "' exists already (version " + actualVersion + ")";
        }
        return "rule '" + name + "' is at version " + actualVersion + ", not " + expectedVersion;
    }

    /** The rule. */
    public String name() {
        return name;
    }

    /** The version the caller expected; 0 when it meant to create the rule. */
    public long expectedVersion() {
        return expectedVersion;
    }

    /** The version the rule is at; 0 when it does not exist. */
    public long actualVersion() {
        return actualVersion;
    }
}
