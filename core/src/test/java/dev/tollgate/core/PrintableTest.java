package dev.tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void plainTextIsReturnedAsItIs() {
        String text = "GET /api/users?id=42 caf\u00e9 \u65e5\u672c \ud83d\ude00";

        assertThat(Printable.escape(text)).isSameAs(text);
    }

    @Test
    void terminalEscapesAndForgedLinesArePrintedAsText() {
        assertThat(Printable.escape("/a\u001b[2J\r\n1.2.3.4 - - \"GET /admin\" 200"))
                .isEqualTo("/a\\x1b[2J\\r\\n1.2.3.4 - - \"GET /admin\" 200");
        assertThat(Printable.escape("a\tb\u0000c\u0007d\u007fe")).isEqualTo("a\\tb\\x00c\\x07d\\x7fe");
    }

    @Test
    void c1ControlsAreEscapedLikeC0Ones() {
        assertThat(Printable.escape("x\u009b31mred\u0085y")).isEqualTo("x\\x9b31mred\\x85y");
        assertThat(Printable.escape("\u00a0\u00ff"))
                .as("printable Latin-1 stays")
                .isEqualTo("\u00a0\u00ff");
    }

    @Test
    void unicodeLineSeparatorsAndBidiControlsAreEscaped() {
        assertThat(Printable.escape("a\u2028b\u2029c")).isEqualTo("a\\u2028b\\u2029c");
        assertThat(Printable.escape("user\u202egpj.exe")).isEqualTo("user\\u202egpj.exe");
        assertThat(Printable.escape("\u2066\u2069\u200e\u061c")).isEqualTo("\\u2066\\u2069\\u200e\\u061c");
    }

    @Test
    void unpairedSurrogatesAreEscapedAndPairsKept() {
        assertThat(Printable.escape("a\ud800b")).isEqualTo("a\\ud800b");
        assertThat(Printable.escape("\udc00")).isEqualTo("\\udc00");
        assertThat(Printable.escape("\ud800\ud83d\ude00")).isEqualTo("\\ud800\ud83d\ude00");
        assertThat(Printable.escape("\ud83d\ude00\ude00")).isEqualTo("\ud83d\ude00\\ude00");
    }

    @Test
    void theBackslashIsEscapedSoThatNoTwoTextsPrintTheSame() {
        List<String> texts = List.of("\u001b", "\\x1b", "\\\u001b", "\n", "\\n", "\\\\n", "a\\", "a\\\\");
        Set<String> printed = new HashSet<>();
        texts.forEach(text -> printed.add(Printable.escape(text)));

        assertThat(printed).hasSameSizeAs(texts);
        assertThat(Printable.escape("\\x1b")).isEqualTo("\\\\x1b");
    }

    @Test
    void noControlCharacterSurvives() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x3000; c++) {
            all.append(c);
        }

        String printed = Printable.escape(all.toString());

        assertThat(printed.chars()
                        .filter(c -> c < 0x20
                                || (c >= 0x7f && c <= 0x9f)
                                || c == 0x2028
                                || c == 0x2029
                                || (c >= 0x202a && c <= 0x202e)
                                || (c >= 0x2066 && c <= 0x2069)))
                .isEmpty();
    }
}
