package dev.tollgate.core;

/**
 * A configuration value Tollgate cannot use. The message names the key ({@code rules[0].window}) and
 * says what is wrong and what would work; it is meant to be shown to the user as it is.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    /** The configuration key at fault, in dotted form with list indexes. */
    public String key() {
        return key;
    }

    /** The same problem, under {@code prefix}: {@code window} becomes {@code rules[2].window}. */
    public ConfigException under(String prefix) {
        return new ConfigException(prefix + "." + key, getMessage().substring(key.length() + 2));
    }
}
