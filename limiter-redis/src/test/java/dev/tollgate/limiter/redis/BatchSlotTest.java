package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.redis.client.RedisClientType;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/** On Redis Cluster, decisions on keys of different hash slots never share a batch. */
class BatchSlotTest {

    @Test
    void onRedisClusterDecisionsAreBatchedByTheHashSlotOfTheirKeys() {
        ToIntFunction<String> slot = RedisEndpoint.batchSlot(RedisClientType.CLUSTER);
        // the example of Redis's CLUSTER KEYSLOT documentation
        assertThat(slot.applyAsInt("somekey")).isEqualTo(11058);
        // a key with a hash tag is in the slot of the part in braces
        assertThat(slot.applyAsInt("{user1000}.following")).isEqualTo(slot.applyAsInt("user1000"));
        assertThat(slot.applyAsInt("tollgate:{20ec2d493606:ip:203.0.113.5}:log"))
                .isEqualTo(slot.applyAsInt("tollgate:{20ec2d493606:ip:203.0.113.5}:n"))
                .isEqualTo(4295);
        assertThat(slot.applyAsInt("tollgate:{20ec2d493606:ip:203.0.113.6}:tb")).isEqualTo(8356);
    }

    @Test
    void onAStandaloneServerAnyKeysShareABatch() {
        ToIntFunction<String> slot = RedisEndpoint.batchSlot(RedisClientType.STANDALONE);
        assertThat(slot.applyAsInt("tollgate:{20ec2d493606:ip:203.0.113.5}:tb"))
                .isEqualTo(slot.applyAsInt("tollgate:{20ec2d493606:ip:203.0.113.6}:tb"));
    }
}
