package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The batch form of a script reads the limiter's shared arguments as numbers once per call; what it decides is
 * pinned by the batched contract and agreement suites, which run every script's batch form against Redis.
 */
class LuaScriptTest {

    private static final String SCRIPT = """
            -- KEYS[1] the key
            -- ARGV     now, permits, mode, then the limiter's: size, limit, name
            local now = tonumber(ARGV[1])
            local size = tonumber(ARGV[4])
            local limit = tonumber(ARGV[5]) + tonumber(ARGV[5])
            redis.call('SET', KEYS[1], ARGV[6])
            return {now, size, limit, tonumber(ARGV[2])}
            """;

    @Test
    void theSharedArgumentsReadAsNumbersAreConvertedOnceBeforeTheDecisions() {
        String batch = LuaScript.batchSource("example", SCRIPT);
        String before = batch.substring(0, batch.indexOf("local function decide("));
        String decide = batch.substring(batch.indexOf("local function decide("));

        assertThat(before)
                .contains("local shared_4 = tonumber(ARGV[1])", "local shared_5 = tonumber(ARGV[2])")
                .doesNotContain("shared_6");
        assertThat(decide)
                .contains("local size = shared_4", "local limit = shared_5 + shared_5")
                // a shared argument read as text, and the decision's own arguments, are read in place
                .contains("redis.call('SET', KEYS[key_base + 1], ARGV[3])")
                .contains("local now = tonumber(ARGV[argument_base + 1])", "tonumber(ARGV[argument_base + 2])")
                .doesNotContain("tonumber(ARGV[1])", "tonumber(ARGV[2])");
    }

    @Test
    void everyScriptsBatchFormConvertsItsSharedNumbersOnce() {
        for (LuaScript script : LuaScript.ALL) {
            if (script.batch() == null) {
                continue;
            }
            String decide =
                    script.batch().source().substring(script.batch().source().indexOf("local function decide("));
            assertThat(decide).as(script.name()).doesNotContainPattern("tonumber\\(ARGV\\[\\d+]\\)");
        }
    }
}
