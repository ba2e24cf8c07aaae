package dev.tollgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.Offender;
import java.util.List;
import org.junit.jupiter.api.Test;

class OffendersCsvTest {

    @Test
    void fieldsAreQuotedOnlyWhenTheyHoldACommaAQuoteOrALineBreak() {
        assertThat(OffendersCsv.field("ip:1.2.3.4")).isEqualTo("ip:1.2.3.4");
        assertThat(OffendersCsv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(OffendersCsv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(OffendersCsv.field("a\nb")).isEqualTo("\"a\nb\"");
        assertThat(OffendersCsv.field("a\rb")).isEqualTo("\"a\rb\"");
    }

    @Test
    void keysAFormulaWouldStartWithGetAnApostrophe() {
        for (String key : List.of("=1+1", "+1", "-1", "@x", "\tx", "\rx")) {
            assertThat(OffendersCsv.defused(key)).isEqualTo("'" + key);
        }
        assertThat(OffendersCsv.defused("ip:1.2.3.4")).isEqualTo("ip:1.2.3.4");
        assertThat(OffendersCsv.defused("a=b")).isEqualTo("a=b");
    }

    @Test
    void theReportHasAHeaderAndCrlfRows() {
        assertThat(OffendersCsv.render(List.of())).isEqualTo("key,blocked_count\r\n");
        assertThat(OffendersCsv.render(List.of(new Offender("=x,y", 3), new Offender("k", 1))))
                .isEqualTo("key,blocked_count\r\n\"'=x,y\",3\r\nk,1\r\n");
        assertThat(OffendersCsv.render(OffendersCsv.SHADOW_HEADER, List.of(new Offender("-k", 2))))
                .isEqualTo("key,shadow_blocked_count\r\n'-k,2\r\n");
    }
}
