package dev.tollgate.test.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Key prefixes of the local Redis (127.0.0.1:6379) for tests: each test class counts under a prefix of its own and
 * deletes what it wrote when done, with {@code redis-cli}, so tests never see each other's keys.
 */
public final class RedisKeys {

    private RedisKeys() {}

    /** A prefix no other test uses: {@code name}, a dash and eight random hex digits. */
    public static String newPrefix(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Deletes every key that starts with {@code prefix}; waits at most 30 s for it. */
    public static void deleteAll(String prefix) {
        if (prefix.isEmpty() || !prefix.matches("[A-Za-z0-9:_.-]+")) {
            throw new IllegalArgumentException(
                    "a test key prefix of letters, digits and : _ . -, got '" + prefix + "'");
        }
        try {
            new ProcessBuilder("sh", "-c", "redis-cli --scan --pattern '" + prefix + "*' | xargs -r redis-cli del")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
