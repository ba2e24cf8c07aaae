package dev.tollgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServeMetricsTest {

    @Test
    void aStatusCodeBecomesItsClass() {
        assertThat(ServeMetrics.statusClass("200")).isEqualTo("2xx");
        assertThat(ServeMetrics.statusClass("429")).isEqualTo("4xx");
        assertThat(ServeMetrics.statusClass("504")).isEqualTo("5xx");
        assertThat(ServeMetrics.statusClass("101")).isEqualTo("1xx");
    }

    @Test
    void aCodeOutsideTheFiveClassesIsOther() {
        assertThat(ServeMetrics.statusClass("600")).isEqualTo("other");
        assertThat(ServeMetrics.statusClass("99")).isEqualTo("other");
        assertThat(ServeMetrics.statusClass("1000")).isEqualTo("other");
    }
}
