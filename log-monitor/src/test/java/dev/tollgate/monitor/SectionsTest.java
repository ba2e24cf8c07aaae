package dev.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SectionsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/api/user?x=1 | /api",
                "/api/user     | /api",
                "/api          | /api",
                "/api?x=1      | /api",
                "/api#top      | /api",
                "/             | /",
                "/?x=1         | /",
                "//api/x       | /api",
                "report/2024   | /report",
                "*             | /*",
                "http://example.com/pages/a | /pages",
                "https://example.com        | /",
            })
    void isSlashPlusTheFirstSegmentWithoutTheQuery(String path, String section) {
        assertThat(LogRecord.sectionOf(path)).isEqualTo(section);
    }
}
