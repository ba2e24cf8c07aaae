package dev.tollgate.plugin;

/**
 * A setting Tollgate or a plugin cannot use. The message names the key in full ({@code rules[0].window},
 * {@code alerts.channels.email.smtp.port}), says what is wrong and what would work, and is meant to be shown
 * to the user as it is, on one line.
 *
 * <p>A problem found where the key is not yet known (a key resolver's argument, a limit's field) is made
 * with the key relative to what was read ({@code burst}) or empty (the value itself), and placed by the
 * caller with {@link #under}.
 */
public final class SettingsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String problem;

    /**
     * @param key the key at fault, dotted with list indexes ({@code rules[2].window}); empty for the value
     *     being read itself, before its key is known
     * @param problem what is wrong and what would work, without the key
     */
    public SettingsException(String key, String problem) {
        super(key.isEmpty() ? problem : key + ": " + problem);
        this.key = key;
        this.problem = problem;
    }

    /** The key at fault, in dotted form with list indexes; empty when not yet known. */
    public String key() {
        return key;
    }

    /** What is wrong and what would work, without the key. */
    public String problem() {
        return problem;
    }

    /**
     * The same problem, under {@code prefix}: {@code window} becomes {@code rules[2].window}, an empty key
     * becomes {@code prefix} itself.
     */
    public SettingsException under(String prefix) {
        return new SettingsException(Settings.join(prefix, key), problem);
    }

    /** The same problem at {@code key}: for a value read under another name, such as an environment variable. */
    public SettingsException at(String key) {
        return new SettingsException(key, problem);
    }
}
