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
 *
 * <p>Each script decides one key; its {@linkplain #batch() batch} form is generated from the same
 * text and decides many keys in one call, one after the other, each exactly as the script alone
 * would, so that the two cannot drift apart.
 *
 * @param batch the form that decides many keys in one call, or {@code null} for a batch form itself
 */
record LuaScript(String name, String source, String sha1, LuaScript batch) {

    static final LuaScript FIXED_WINDOW = load("fixed-window");
    static final LuaScript SLIDING_WINDOW_LOG = load("sliding-window-log");
    static final LuaScript SLIDING_WINDOW_COUNTER = load("sliding-window-counter");
    static final LuaScript BUCKET = load("bucket");

    /** Every script and its batch form, in the order they are loaded into a new server. */
    static final List<LuaScript> ALL = List.of(
            FIXED_WINDOW,
            FIXED_WINDOW.batch(),
            SLIDING_WINDOW_LOG,
            SLIDING_WINDOW_LOG.batch(),
            SLIDING_WINDOW_COUNTER,
            SLIDING_WINDOW_COUNTER.batch(),
            BUCKET,
            BUCKET.batch());

    /**
     * The batch form's frame around a script's text, which becomes a function of its own {@code KEYS}
     * and {@code ARGV}. An error in one decision (a key of the wrong type, say) answers that decision
     * with the error and leaves the others decided, as separate calls would.
     */
    private static final String BATCH_HEAD = """
            -- Generated from %s.lua: runs it once per decision, in order, so a decision sees the effect of
            -- every earlier one in the call, on the same key too.
            -- KEYS     the keys of every decision, ARGV[1] per decision
            -- ARGV     keys per decision, arguments per decision, then every decision's arguments
            -- returns  one answer per decision: what %s.lua returns, or the error it raised
            local function decide(KEYS, ARGV)
            """;

    private static final String BATCH_TAIL = """
            end
            local per_keys = tonumber(ARGV[1])
            local per_arguments = tonumber(ARGV[2])
            local answers = {}
            for i = 0, #KEYS / per_keys - 1 do
                local keys, arguments = {}, {}
                for k = 1, per_keys do
                    keys[k] = KEYS[i * per_keys + k]
                end
                for a = 1, per_arguments do
                    arguments[a] = ARGV[2 + i * per_arguments + a]
                end
                local ok, answer = pcall(decide, keys, arguments)
                if ok then
                    answers[i + 1] = answer
                elseif type(answer) == 'table' and answer.err then
                    answers[i + 1] = {err = answer.err}
                else
                    answers[i + 1] = {err = tostring(answer)}
                end
            end
            return answers
            """;

    private static LuaScript load(String name) {
        String resource = name + ".lua";
        try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(
                        "missing resource " + resource + " next to " + LuaScript.class.getName());
            }
            String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String batchSource = BATCH_HEAD.formatted(name, name) + source + BATCH_TAIL;
            LuaScript batch = new LuaScript(name + "-batch", batchSource, sha1(batchSource), null);
            return new LuaScript(name, source, sha1(source), batch);
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
