package dev.tollgate.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "500ms, PT0.5S",
        "30s, PT30S",
        "1m, PT1M",
        "2h, PT2H",
        "1d, PT24H",
        "1h30m, PT1H30M",
        "PT30S, PT30S",
        "P1D, PT24H",
        "pt2m, PT2M",
        "250us, PT0.00025S",
        "7ns, PT0.000000007S",
        "' 10s ', PT10S",
        "10S, PT10S"
    })
    void readsUnitsSumsAndIso(String text, String expected) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @Test
    void rejectsANegativeDuration() {
        assertThatThrownBy(() -> Durations.parse("-5s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid duration '-5s': a duration must be positive");
    }

    @Test
    void rejectsZeroWithOrWithoutAUnit() {
        assertThatThrownBy(() -> Durations.parse("0")).hasMessage("invalid duration '0': a duration must be positive");
        assertThatThrownBy(() -> Durations.parse("0s"))
                .hasMessage("invalid duration '0s': a duration must be positive");
        assertThatThrownBy(() -> Durations.parse("PT0S"))
                .hasMessage("invalid duration 'PT0S': a duration must be positive");
    }

    @Test
    void rejectsWordsAndNamesTheAcceptedForms() {
        assertThatThrownBy(() -> Durations.parse("abc"))
                .hasMessage(
                        "invalid duration 'abc': expected a number with a unit (500ms, 30s, 1m, 2h, 1d) or ISO-8601 (PT30S)");
        assertThatThrownBy(() -> Durations.parse("10 parsecs")).hasMessageStartingWith("invalid duration '10 parsecs'");
        assertThatThrownBy(() -> Durations.parse("5w")).hasMessageContaining("unknown unit 'w'");
        assertThatThrownBy(() -> Durations.parse("PTxS")).hasMessageContaining("not a valid ISO-8601 duration");
    }

    @Test
    void rejectsANumberWithoutAUnit() {
        assertThatThrownBy(() -> Durations.parse("30")).hasMessageContaining("'30' has no unit");
    }

    @Test
    void rejectsEmptyInput() {
        assertThatThrownBy(() -> Durations.parse("")).hasMessageContaining("it is empty");
        assertThatThrownBy(() -> Durations.parse(null)).hasMessageContaining("it is empty");
    }

    @Test
    void rejectsDurationsThatOverflow() {
        assertThatThrownBy(() -> Durations.parse("99999999999999999999s")).hasMessageEndingWith("it is too large");
        assertThatThrownBy(() -> Durations.parse("200000d")).hasMessageEndingWith("it is too large");
        assertThatThrownBy(() -> Durations.parse("9223372036854775807us")).hasMessageEndingWith("it is too large");
    }

    @ParameterizedTest
    @CsvSource({
        "30, PT30S",
        "' 120 ', PT2M",
        "0, PT0S",
        "0s, PT0S",
        "30s, PT30S",
        "2M, PT2M",
        "1m30s, PT1M30S",
        "2000ms, PT2S",
        "1d, PT24H",
        "PT30S, PT30S"
    })
    void readsAFlagAsAParsedDurationABareNumberOfSecondsOrZero(String text, String expected) {
        assertThat(Durations.parseFlag(text)).isEqualTo(Duration.parse(expected));
    }

    @Test
    void rejectsAFlagThatIsNegativeEmptyOrHasAPartWithoutAUnit() {
        assertThatThrownBy(() -> Durations.parseFlag("-5s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid duration '-5s': a duration must not be negative");
        assertThatThrownBy(() -> Durations.parseFlag(""))
                .hasMessage("invalid duration '': it is empty; "
                        + "expected seconds (30) or a number with a unit (30s, 2m, 1h, 1d)");
        assertThatThrownBy(() -> Durations.parseFlag("1m30"))
                .hasMessage("invalid duration '1m30': '30' has no unit; "
                        + "expected seconds (30) or a number with a unit (30s, 2m, 1h, 1d)");
        assertThatThrownBy(() -> Durations.parseFlag("2 minutes"))
                .hasMessage("invalid duration '2 minutes': '2' has no unit; "
                        + "expected seconds (30) or a number with a unit (30s, 2m, 1h, 1d)");
        assertThatThrownBy(() -> Durations.parseFlag("soon"))
                .hasMessage("invalid duration 'soon': "
                        + "expected seconds (30) or a number with a unit (30s, 2m, 1h, 1d)");
        assertThatThrownBy(() -> Durations.parseFlag("5w")).hasMessageContaining("unknown unit 'w'");
        assertThatThrownBy(() -> Durations.parseFlag("99999999999999999999")).hasMessageEndingWith("it is too large");
    }

    @ParameterizedTest
    @CsvSource({"PT0.5S, 500ms", "PT1H30M, 1h30m", "P1D, 1d", "PT0.000000007S, PT0.000000007S"})
    void writesTheShortestFormItReadsBack(String iso, String expected) {
        Duration duration = Duration.parse(iso);
        assertThat(Durations.format(duration)).isEqualTo(expected);
        assertThat(Durations.parse(Durations.format(duration))).isEqualTo(duration);
    }
}
