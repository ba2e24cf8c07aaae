package dev.tollgate.limiter.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the Lua scripts in this package's resources, with the SHA-1 digest that {@code EVALSHA}
 * names it by. The digest is computed here, so a decision never waits for {@code SCRIPT LOAD} to
 * tell it.
 *
 * <p>Each script decides one key; its {@linkplain #batch() batch} form is generated from the same
 * text and decides many keys in one call, one after the other, each exactly as the script alone
 * would, so that the two cannot drift apart. An error in one decision (a key of the wrong type, say)
 * answers that decision with the error and leaves the others decided, as separate calls would.
 *
 * @param batch the form that decides many keys in one call, or {@code null} for a batch form itself
 */
record LuaScript(String name, String source, String sha1, LuaScript batch) {

    /**
     * How many of a script's first arguments are the decision's own (the time, the permits, consume or
     * peek); the rest are the limiter's, the same for all its decisions.
     */
    static final int OWN_ARGUMENTS = 3;

    private static final Pattern KEY = Pattern.compile("KEYS\\[(\\d+)]");
    private static final Pattern ARGUMENT = Pattern.compile("ARGV\\[(\\d+)]");
    private static final Pattern COMMENT_LINE = Pattern.compile("(?m)^\\s*--.*\\R");
    /** A number among the script's arguments: in a batch, the limiter's are read once per call. */
    private static final Pattern NUMBER_ARGUMENT = Pattern.compile("tonumber\\(ARGV\\[(\\d+)]\\)");

    private static final String BATCH_HEAD = """
            -- Generated from %1$s.lua: runs it once per decision, in order, so a decision sees the effect of
            -- every earlier one in the call, on the same key too.
            -- KEYS     the keys of every decision, %2$d per decision
            -- ARGV     the %3$d arguments of %1$s.lua past its first %4$d, shared by every decision, then the
            --          first %4$d of each decision
            -- returns  one answer per decision: what %1$s.lua returns, or the error it raised
            """;

    private static final String BATCH_TAIL = """
            end
            local answers = {}
            for i = 1, #KEYS / %1$d do
                local ok, answer = pcall(decide, (i - 1) * %1$d, %2$d + (i - 1) * %3$d)
                if ok then
                    answers[i] = answer
                elseif type(answer) == 'table' and answer.err then
                    answers[i] = {err = answer.err}
                else
                    answers[i] = {err = tostring(answer)}
                end
            end
            return answers
            """;

    // after the patterns and texts above, which loading uses
    static final LuaScript FIXED_WINDOW = load("fixed-window");
    static final LuaScript SLIDING_WINDOW_LOG = load("sliding-window-log");
    static final LuaScript SLIDING_WINDOW_COUNTER = load("sliding-window-counter");
    static final LuaScript BUCKET = load("bucket");
    static final LuaScript CONCURRENCY = load("concurrency");
    static final LuaScript QUOTA = load("quota");
    static final LuaScript ROLLING_QUOTA = load("rolling-quota");

    /** Every script and its batch form, in the order they are loaded into a new server. */
    static final List<LuaScript> ALL = List.of(
            FIXED_WINDOW,
            FIXED_WINDOW.batch(),
            SLIDING_WINDOW_LOG,
            SLIDING_WINDOW_LOG.batch(),
            SLIDING_WINDOW_COUNTER,
            SLIDING_WINDOW_COUNTER.batch(),
            BUCKET,
            BUCKET.batch(),
            CONCURRENCY,
            CONCURRENCY.batch(),
            QUOTA,
            QUOTA.batch(),
            ROLLING_QUOTA,
            ROLLING_QUOTA.batch());

    private static LuaScript load(String name) {
        String resource = name + ".lua";
        try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(
                        "missing resource " + resource + " next to " + LuaScript.class.getName());
            }
            String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String batchSource = batchSource(name, source);
            LuaScript batch = new LuaScript(name + "-batch", batchSource, sha1(batchSource), null);
            return new LuaScript(name, source, sha1(source), batch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /**
     * The batch form of {@code source}: its text as the body of a function of where the decision's keys
     * and arguments start, with {@code KEYS[k]} read past the keys of the decisions before it,
     * {@code ARGV[n]} of its own from past the arguments before it, and the limiter's shared ones from
     * the start. The shared ones it reads as numbers ({@code tonumber(ARGV[n])}) are converted once per call,
     * before the decisions, rather than once per decision (about a tenth of a token-bucket decision's time in
     * Redis).
     */
    static String batchSource(String name, String source) {
        // the comments stay in the script itself
        String code = COMMENT_LINE.matcher(source).replaceAll("");
        int keys = highestIndex(KEY, code);
        int sharedCount = highestIndex(ARGUMENT, code) - OWN_ARGUMENTS;
        String body = KEY.matcher(code).replaceAll(key -> "KEYS[key_base + " + key.group(1) + "]");
        // the limiter's arguments that the script reads as numbers: converted once, before the decisions
        SortedSet<Integer> numbers = new TreeSet<>();
        body = NUMBER_ARGUMENT.matcher(body).replaceAll(argument -> {
            int n = Integer.parseInt(argument.group(1));
            if (n <= OWN_ARGUMENTS) {
                return Matcher.quoteReplacement(argument.group());
            }
            numbers.add(n);
            return "shared_" + n;
        });
        StringBuilder shared = new StringBuilder();
        for (int n : numbers) {
            shared.append("local shared_%d = tonumber(ARGV[%d])\n".formatted(n, n - OWN_ARGUMENTS));
        }
        body = ARGUMENT.matcher(body).replaceAll(argument -> {
            int n = Integer.parseInt(argument.group(1));
            return n <= OWN_ARGUMENTS ? "ARGV[argument_base + " + n + "]" : "ARGV[" + (n - OWN_ARGUMENTS) + "]";
        });
        return BATCH_HEAD.formatted(name, keys, sharedCount, OWN_ARGUMENTS)
                + shared
                + "local function decide(key_base, argument_base)\n"
                + body
                + BATCH_TAIL.formatted(keys, sharedCount, OWN_ARGUMENTS);
    }

    private static int highestIndex(Pattern reference, String source) {
        return reference
                .matcher(source)
                .results()
                .mapToInt(match -> Integer.parseInt(match.group(1)))
                .max()
                .orElseThrow();
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
