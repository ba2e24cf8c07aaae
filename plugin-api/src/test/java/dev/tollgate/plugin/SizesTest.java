package dev.tollgate.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SizesTest {

    @Test
    void readsBytesAndUnitsOf1024InAnyCase() {
        assertThat(Sizes.bytes("1048576")).isEqualTo(1_048_576);
        assertThat(Sizes.bytes(" 2048 kb ")).isEqualTo(2L << 20);
        assertThat(Sizes.bytes("64mb")).isEqualTo(64L << 20);
        assertThat(Sizes.bytes("1GB")).isEqualTo(1L << 30);
        assertThat(Sizes.bytes("100b")).isEqualTo(100);
    }

    @Test
    void readsTheSingleLetterUnitsOfXmx() {
        assertThat(Sizes.bytes("512k")).isEqualTo(512L << 10);
        assertThat(Sizes.bytes("512m")).isEqualTo(512L << 20);
        assertThat(Sizes.bytes("2G")).isEqualTo(2L << 30);
    }

    @Test
    void readsAShareOfTheHeap() {
        assertThat(Sizes.bytes("25%")).isEqualTo(Runtime.getRuntime().maxMemory() / 4);
    }

    @Test
    void refusesWhatIsNoPositiveSize() {
        for (String bad : new String[] {"lots", "64 parsecs", "1.5gb", "-64mb", "0", "99999999999gb", "0%", "m"}) {
            assertThatThrownBy(() -> Sizes.bytes(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("expected a size such as 64mb, 1gb or 25% (of the heap), got '" + bad + "'");
        }
    }
}
