package dev.tollgate.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A salted PBKDF2-HMAC-SHA256 password hash, written {@code pbkdf2-sha256:ITERATIONS:SALT:HASH} with the
 * salt and hash in Base64. Every hash carries its own salt and iteration count, so the count can rise
 * without invalidating older entries. The dashboard's users file keeps passwords so, and the decision service its
 * service tokens.
 */
// the canonical constructor copies both arrays; nothing outside reads them or compares two hashes
@SuppressWarnings("ArrayRecordComponent")
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {

    public static final String ALGORITHM = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final int FINGERPRINT_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    public PasswordHash {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
        }
        salt = salt.clone();
        hash = hash.clone();
    }

    /** A hash of {@code password} with a fresh random salt. */
    public static PasswordHash of(char[] password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations));
    }

    /**
     * Reads what {@link #format()} wrote.
     *
     * @throws IllegalArgumentException saying what the text should look like
     */
    public static PasswordHash parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 4 || !parts[0].equals(ALGORITHM)) {
            throw new IllegalArgumentException("expected " + ALGORITHM + ":ITERATIONS:SALT:HASH");
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] hash = Base64.getDecoder().decode(parts[3]);
            if (salt.length == 0 || hash.length != HASH_BITS / 8) {
                throw new IllegalArgumentException("a salt and a 32-byte hash");
            }
            return new PasswordHash(iterations, salt, hash);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected " + ALGORITHM + ":ITERATIONS:SALT:HASH with a positive "
                    + "iteration count and Base64 salt and hash");
        }
    }

    /** Whether {@code password} hashes to this hash; compares in constant time. */
    public boolean matches(char[] password) {
        return MessageDigest.isEqual(hash, derive(password, salt, iterations));
    }

    /**
     * A short digest of this whole hash, salt and iteration count included: it tells two hashes apart (a
     * session keeps it to notice that its account's password changed) but, without the salt, helps no one
     * guess the password.
     */
    String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(format().getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, FINGERPRINT_BYTES));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime lacks SHA-256", e);
        }
    }

    /** The hash as the users file and {@code decision.tokens} keep it. */
    public String format() {
        return ALGORITHM + ":" + iterations + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(hash);
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime lacks PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
        }
    }
}
