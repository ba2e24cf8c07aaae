package dev.tollgate.limiter.redis;

import static dev.tollgate.test.support.Await.await;

import dev.tollgate.plugin.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A test's window on a Redis server: plain commands, answered synchronously, and the clean-up of
 * the keys under a test's own prefix.
 */
final class RedisKeys implements AutoCloseable {

    /** The server the test command starts when none runs. */
    static final String LOCAL_URL = "redis://127.0.0.1:6379";

    private final Redis client;

    RedisKeys(Vertx vertx, String url) {
        this.client = Redis.createClient(vertx, url);
    }

    /**
     * Settings for the local server under {@code keyPrefix}, with a timeout that a cold JVM on a busy
     * machine meets: these tests are about answers, not about failing fast.
     */
    static JsonObject testConfig(String keyPrefix) {
        return new JsonObject()
                .put("url", LOCAL_URL)
                .put("keyPrefix", keyPrefix)
                .put("timeout", "20s");
    }

    /** {@code config} as the section of the configuration the application hands the backend. */
    static Settings settings(JsonObject config) {
        return Settings.of("limiter.redis", config);
    }

    /** A key prefix no other test run uses. */
    static String uniquePrefix(String name) {
        return "tollgate-test-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    Response send(Command command, Object... arguments) {
        // a copy: the request writes encoded arguments back into the array it is given
        return await(client.send(Request.cmd(command, Arrays.copyOf(arguments, arguments.length, Object[].class))));
    }

    /** The keys under {@code prefix}, found with {@code SCAN}. */
    List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        String cursor = "0";
        do {
            Response page = send(Command.SCAN, cursor, "MATCH", prefix + ":*", "COUNT", 1000);
            cursor = page.get(0).toString();
            for (Response key : page.get(1)) {
                keys.add(key.toString());
            }
        } while (!"0".equals(cursor));
        return keys;
    }

    /** Deletes every key under {@code prefix}; returns how many there were. */
    int deleteAll(String prefix) {
        List<String> keys = keys(prefix);
        for (int from = 0; from < keys.size(); from += 500) {
            send(
                    Command.DEL,
                    keys.subList(from, Math.min(keys.size(), from + 500)).toArray());
        }
        return keys.size();
    }

    @Override
    public void close() {
        await(client.close());
    }
}
