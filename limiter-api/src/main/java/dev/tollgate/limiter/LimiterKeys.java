package dev.tollgate.limiter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;

/**
 * Client keys bounded in bytes. A key comes from a request (an address, a user, an API key header), so
 * a client chooses its length; every backend holds keys through {@link #bounded(String)}, and so
 * never more than {@value #MAX_BYTES} bytes per key, whatever a client sends.
 */
public final class LimiterKeys {

    /** The most UTF-8 bytes of a key that is kept as it is. */
    public static final int MAX_BYTES = 255;
    /** What stands between the head of a longer key and the digest of the whole key. */
    public static final String DIGEST_MARK = "~sha256:";
    /** The most UTF-8 bytes of a longer key kept in front of the mark, for people reading keys. */
    public static final int HEAD_BYTES = 32;

    /** Keys of at most this many chars fit {@link #MAX_BYTES}: a char is at most 3 bytes in UTF-8. */
    private static final int SURELY_SHORT_CHARS = MAX_BYTES / 3;

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private LimiterKeys() {}

    /**
     * {@code key} itself when its UTF-8 form is at most {@value #MAX_BYTES} bytes; otherwise its head
     * (its first characters, at most {@value #HEAD_BYTES} bytes, never half a surrogate pair), then
     * {@value #DIGEST_MARK}, then the SHA-256 of the whole key's UTF-8 bytes in unpadded base64url
     * (43 characters): at most 83 bytes in all.
     *
     * <p>So two different keys give different results, with the odds of a SHA-256 collision against
     * them, however far apart their differences are, and the same key always gives the same result. A
     * short key that holds {@value #DIGEST_MARK} is digested too, so a client who has seen the bounded
     * form of someone's long key cannot send that form and count against the same state. An unpaired
     * surrogate counts as the one byte {@code ?} it is encoded as, as everywhere keys are encoded.
     * Keys of at most 85 chars are returned without being encoded.
     */
    public static String bounded(String key) {
        Objects.requireNonNull(key, "key");
        if ((key.length() <= SURELY_SHORT_CHARS || (key.length() <= MAX_BYTES && utf8Length(key) <= MAX_BYTES))
                && !key.contains(DIGEST_MARK)) {
            return key;
        }
        return head(key) + DIGEST_MARK + BASE64URL.encodeToString(sha256(key.getBytes(StandardCharsets.UTF_8)));
    }

    /** The UTF-8 length of {@code key}, or a number above {@link #MAX_BYTES} once it passes that. */
    private static int utf8Length(String key) {
        int bytes = 0;
        for (int i = 0; i < key.length() && bytes <= MAX_BYTES; i++) {
            char c = key.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < key.length()
                    && Character.isLowSurrogate(key.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** The longest prefix of whole code points within {@link #HEAD_BYTES} bytes. */
    private static String head(String key) {
        int bytes = 0;
        int end = 0;
        while (end < key.length()) {
            int codePoint = key.codePointAt(end);
            boolean unpaired = codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE;
            int size = codePoint < 0x80 || unpaired ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > HEAD_BYTES) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return key.substring(0, end);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
