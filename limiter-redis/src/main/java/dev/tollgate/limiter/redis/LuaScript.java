package dev.tollgate.limiter.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One of the Lua scripts in this package's resources, with the SHA-1 digest that {@code EVALSHA}
 * names it by. The digest is computed here, so a decision never waits for {@code SCRIPT LOAD} to
 * tell it.
 */
record LuaScript(String name, String source, String sha1) {

    static final LuaScript FIXED_WINDOW = load("fixed-window");
    static final LuaScript SLIDING_WINDOW_LOG = load("sliding-window-log");
    static final LuaScript SLIDING_WINDOW_COUNTER = load("sliding-window-counter");
    static final LuaScript BUCKET = load("bucket");

    /** Every script, in the order they are loaded into a new server. */
    static final List<LuaScript> ALL = List.of(FIXED_WINDOW, SLIDING_WINDOW_LOG, SLIDING_WINDOW_COUNTER, BUCKET);

    private static LuaScript load(String name) {
        String resource = name + ".lua";
        try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(
                        "missing resource " + resource + " next to " + LuaScript.class.getName());
            }
            String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new LuaScript(name, source, sha1(source));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static String sha1(String source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    @Override
    public String toString() {
        return name + ".lua";
    }
}
