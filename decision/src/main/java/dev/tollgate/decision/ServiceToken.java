package dev.tollgate.decision;

import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import dev.tollgate.web.PasswordHash;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A service token as {@code decision.tokens} keeps it: a name, shown in the events of the checks it makes, and the
 * PBKDF2 hash of the token, in the format of the dashboard's users file. The token itself is never stored.
 *
 * @param name who holds the token: {@code checkout}, {@code billing-worker}
 * @param hash the token's hash
 */
public record ServiceToken(String name, PasswordHash hash) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    public ServiceToken {
        Objects.requireNonNull(hash, "hash");
        checkName(name);
    }

    /**
     * Reads one entry of {@code decision.tokens}: {@code {name: checkout, hash: "pbkdf2-sha256:..."}}.
     *
     * @throws SettingsException naming the entry's key at fault
     */
    static ServiceToken from(Settings entry) {
        entry.requireOnly("service token", java.util.List.of("name", "hash"));
        String name = entry.requiredText("name", "name: checkout");
        String hash = entry.requiredText("hash", "hash: \"pbkdf2-sha256:...\" (tollgate token NAME prints one)");
        try {
            checkName(name);
        } catch (IllegalArgumentException e) {
            throw entry.problem("name", e.getMessage());
        }
        try {
            return new ServiceToken(name, PasswordHash.parse(hash));
        } catch (IllegalArgumentException e) {
            throw entry.problem("hash", e.getMessage() + " (tollgate token NAME prints one)");
        }
    }

    /**
     * @throws IllegalArgumentException saying what a name may be
     */
    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a token's name is 1 to 64 letters, digits, '.', '_', '@' or '-',"
                    + " starting with a letter or digit; got '" + name + "'");
        }
    }
}
