package dev.tollgate.limiter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LimiterKeysTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 85, 86, 200, 255})
    void aKeyOfAtMost255AsciiBytesIsReturnedAsItIs(int length) {
        String key = "k".repeat(length);
        assertThat(LimiterKeys.bounded(key)).isSameAs(key);
    }

    @Test
    void aKeyOf255BytesInWiderCharactersIsReturnedAsItIs() {
        for (String key : new String[] {
            "€".repeat(85),
            "é".repeat(127) + "a",
            "😀".repeat(63) + "abc",
            "ip:203.0.113.5",
            "header:x-api-key:" + "é".repeat(119)
        }) {
            assertThat(bytes(key)).isLessThanOrEqualTo(255);
            assertThat(LimiterKeys.bounded(key)).isSameAs(key);
        }
    }

    @Test
    void aKeyOf256BytesBecomesItsHeadAndTheDigestOfTheWholeKey() throws Exception {
        for (String key :
                new String[] {"k".repeat(256), "é".repeat(128), "€".repeat(86), "😀".repeat(64), "a" + "€".repeat(85)
                }) {
            String bounded = LimiterKeys.bounded(key);
            String digest = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
            assertThat(bounded).endsWith(LimiterKeys.DIGEST_MARK + digest);
            String head = bounded.substring(0, bounded.length() - LimiterKeys.DIGEST_MARK.length() - digest.length());
            assertThat(key).startsWith(head);
            assertThat(bytes(head)).isBetween(LimiterKeys.HEAD_BYTES - 3, LimiterKeys.HEAD_BYTES);
            assertThat(bytes(bounded)).isLessThanOrEqualTo(83);
        }
    }

    @Test
    void aSevenThousandCharacterApiKeyKeepsItsKindReadable() {
        String key = "header:x-api-key:" + "0123456789".repeat(700);
        String bounded = LimiterKeys.bounded(key);
        assertThat(bounded)
                .startsWith("header:x-api-key:012345678901234" + LimiterKeys.DIGEST_MARK)
                .hasSize(83);
    }

    @Test
    void keysThatDifferOnlyAfterTheFirst255BytesGiveDifferentResults() {
        String common = "header:x-api-key:" + "k".repeat(7_000);
        Set<String> results = new HashSet<>();
        for (char last = 'a'; last <= 'z'; last++) {
            results.add(LimiterKeys.bounded(common + last));
        }
        results.add(LimiterKeys.bounded(common));
        assertThat(results)
                .hasSize(27)
                .allSatisfy(bounded -> assertThat(bytes(bounded)).isLessThanOrEqualTo(255));
    }

    @Test
    void theSameKeyAlwaysGivesTheSameResultAndNoShortKeyPassesForALongOne() {
        String key = "user:" + "ü".repeat(1_000);
        String bounded = LimiterKeys.bounded(key);
        assertThat(LimiterKeys.bounded(new String(key.toCharArray()))).isEqualTo(bounded);
        // a client that learnt the bounded form and sends it as its key gets a state of its own
        assertThat(LimiterKeys.bounded(bounded)).isNotEqualTo(bounded).contains(LimiterKeys.DIGEST_MARK);
        assertThat(LimiterKeys.bounded("ip:1.2.3.4")).isSameAs("ip:1.2.3.4");
    }

    @Test
    void theHeadNeverSplitsASurrogatePair() {
        // 2 bytes, then 4 bytes a pair: 7 pairs make 30 bytes, an eighth would pass 32
        String bounded = LimiterKeys.bounded("ab" + "😀".repeat(100));
        assertThat(bounded).startsWith("ab" + "😀".repeat(7) + LimiterKeys.DIGEST_MARK);
    }

    @Test
    void anUnpairedSurrogateCountsAsTheByteItIsEncodedAs() {
        String key = "\uD800".repeat(255);
        assertThat(bytes(key)).isEqualTo(255);
        assertThat(LimiterKeys.bounded(key)).isSameAs(key);
        assertThat(LimiterKeys.bounded(key + "\uDC00")).startsWith("\uD800".repeat(32) + LimiterKeys.DIGEST_MARK);
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
