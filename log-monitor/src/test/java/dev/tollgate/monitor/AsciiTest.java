package dev.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AsciiTest {

    @Test
    void indexOfFindsTheFirstMatchLikeALoopWould() {
        SplittableRandom random = new SplittableRandom(1);
        byte[] targets = {'\n', '"', ',', (byte) 0x80, (byte) 0xff, 0};
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(0, 40)];
            for (int i = 0; i < b.length; i++) {
                // few distinct values, so that matches, near misses and borrows between bytes are common
                b[i] = (byte)
                        new int[] {'\n', '\n' + 1, '\n' - 1, '"', ',', 0x80, 0x8a, 0xff, 0, 1}[random.nextInt(10)];
            }
            int from = b.length == 0 ? 0 : random.nextInt(0, b.length + 1);
            int to = from + (b.length == from ? 0 : random.nextInt(0, b.length - from + 1));
            byte target = targets[random.nextInt(targets.length)];
            int expected = from;
            while (expected < to && b[expected] != target) {
                expected++;
            }
            assertThat(Ascii.indexOf(b, from, to, target)).isEqualTo(expected);
        }
    }

    @Test
    void parsesNumbersAndRejectsEverythingElse() {
        byte[] b = "x1549573860y12a-".getBytes(StandardCharsets.US_ASCII);
        assertThat(Ascii.parseNumber(b, 1, 11)).isEqualTo(1549573860L);
        assertThat(Ascii.parseNumber(b, 12, 14)).isEqualTo(12);
        assertThat(Ascii.parseNumber(b, 12, 15)).isEqualTo(Ascii.NOT_A_NUMBER);
        assertThat(Ascii.parseNumber(b, 3, 3)).isEqualTo(Ascii.NOT_A_NUMBER);
        assertThat(Ascii.parseNumber("9999999999999999999".getBytes(StandardCharsets.US_ASCII), 0, 19))
                .isEqualTo(Ascii.NOT_A_NUMBER);
    }
}
