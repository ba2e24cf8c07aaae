package dev.tollgate.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SharedStringsTest {

    private final SharedStrings strings = new SharedStrings();

    @Test
    void givesOneIdAndOneCopyPerTextUntilItsLastReferenceGoes() {
        int first = strings.share(new String("ip:203.0.113.9"));
        int again = strings.share(new String("ip:203.0.113.9"));
        int other = strings.share("ip:198.51.100.7");

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(strings.text(first)).isEqualTo("ip:203.0.113.9").isSameAs(strings.text(again));
        assertThat(strings.find("ip:203.0.113.9")).isEqualTo(first);
        strings.release(first);
        assertThat(strings.find("ip:203.0.113.9")).as("one reference left").isEqualTo(first);
        strings.release(again);
        assertThat(strings.find("ip:203.0.113.9")).isEqualTo(SharedStrings.NONE);
        assertThat(strings.size()).isEqualTo(1);
    }

    @Test
    void anAbsentTextIsNoneAndCostsNothing() {
        assertThat(strings.share(null)).isEqualTo(SharedStrings.NONE);
        assertThat(strings.text(SharedStrings.NONE)).isNull();
        assertThat(strings.find(null)).isEqualTo(SharedStrings.NONE);
        strings.release(SharedStrings.NONE);
        assertThat(strings.size()).isZero();
        assertThat(strings.bytes()).isEqualTo(new SharedStrings().bytes());
    }

    @Test
    void reusesTheIdsOfGoneTextsAndNeverConfusesTwoTextsThatHeldOneId() {
        Random random = new Random(7);
        Map<String, Integer> held = new HashMap<>();
        Map<String, Integer> references = new HashMap<>();
        List<String> texts = new ArrayList<>();
        int highest = 0;
        for (int step = 0; step < 50_000; step++) {
            if (texts.isEmpty() || random.nextInt(100) < 55) {
                String text = "key:" + random.nextInt(2_000);
                int id = strings.share(text);
                Integer before = held.putIfAbsent(text, id);
                assertThat(before == null ? id : before).isEqualTo(id);
                references.merge(text, 1, Integer::sum);
                texts.add(text);
                highest = Math.max(highest, id);
            } else {
                String text = texts.remove(random.nextInt(texts.size()));
                strings.release(held.get(text));
                if (references.merge(text, -1, Integer::sum) == 0) {
                    references.remove(text);
                    held.remove(text);
                }
            }
        }
        held.forEach((text, id) -> assertThat(strings.text(id)).isEqualTo(text));
        held.forEach((text, id) -> assertThat(strings.find(text)).isEqualTo(id));
        assertThat(strings.size()).isEqualTo(held.size());
        assertThat(highest)
                .as("ids are reused: never more than the texts ever held at once")
                .isLessThan(2_000);

        for (String text : texts) {
            strings.release(held.getOrDefault(text, strings.find(text)));
        }
        assertThat(strings.size()).isZero();
        assertThat(strings.bytes())
                .as("only the map's table at its largest")
                .isLessThan(new SharedStrings().bytes() + 64 * 2_048);
    }
}
