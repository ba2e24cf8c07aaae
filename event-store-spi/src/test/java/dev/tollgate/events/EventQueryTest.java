package dev.tollgate.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventQueryTest {

    private static final Instant AT = Instant.parse("2026-03-15T12:34:56.789Z");

    @Test
    void aCursorReadsBackAsItWasWritten() {
        EventCursor cursor = new EventCursor(AT, 12_345);

        assertThat(EventCursor.decode(cursor.encode())).isEqualTo(cursor);
        assertThat(cursor.encode()).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void aCursorOrdersNewestFirstThenByTiebreakDescending() {
        EventCursor cursor = new EventCursor(AT, 10);
        long at = AT.toEpochMilli();

        assertThat(cursor.isPast(at - 1, 99)).isTrue();
        assertThat(cursor.isPast(at, 9)).isTrue();
        assertThat(cursor.isPast(at, 10)).isFalse();
        assertThat(cursor.isPast(at, 11)).isFalse();
        assertThat(cursor.isPast(at + 1, 0)).isFalse();
    }

    @Test
    void aForgedCursorIsRejectedWithAHint() {
        for (String forged : new String[] {"", "abc", "!!!", "ZTE6MTIzOmFiYw", "eDE6MToy"}) {
            assertThatThrownBy(() -> EventQuery.all().after(forged))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("next_cursor");
        }
    }

    @Test
    void pageSizesStayBetweenOneAndTheMaximum() {
        assertThat(EventQuery.all().pageSize()).isEqualTo(EventQuery.DEFAULT_PAGE_SIZE);
        assertThat(EventQuery.builder()
                        .pageSize(EventQuery.MAX_PAGE_SIZE)
                        .build()
                        .pageSize())
                .isEqualTo(1000);
        assertThatThrownBy(() -> EventQuery.builder().pageSize(0)).hasMessageContaining("pageSize");
        assertThatThrownBy(() -> EventQuery.builder().pageSize(1001)).hasMessageContaining("pageSize");
    }

    @Test
    void anEmptyTimeRangeIsRejected() {
        assertThatThrownBy(() -> EventQuery.builder().from(AT).to(AT).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'to'");
    }

    @Test
    void aBlankSearchSearchesNothing() {
        assertThat(EventQuery.builder().search("  ").build().search()).isEmpty();
    }

    @Test
    void matchesEveryFilterThatIsSet() {
        RateLimitEvent event = RateLimitEvent.builder()
                .timestamp(AT)
                .key("user:Alice")
                .ruleName("api")
                .path("/api/Orders")
                .method("GET")
                .allowed(false)
                .build();

        assertThat(EventQuery.all().matches(event)).isTrue();
        assertThat(EventQuery.builder()
                        .key("user:Alice")
                        .ruleName("api")
                        .path("/api/Orders")
                        .outcome(EventQuery.Outcome.BLOCKED)
                        .from(AT)
                        .to(AT.plusMillis(1))
                        .search("orders")
                        .build()
                        .matches(event))
                .isTrue();
        assertThat(EventQuery.builder().key("user:alice").build().matches(event))
                .isFalse();
        assertThat(EventQuery.builder()
                        .outcome(EventQuery.Outcome.ALLOWED)
                        .build()
                        .matches(event))
                .isFalse();
        assertThat(EventQuery.builder().to(AT).build().matches(event)).isFalse();
        assertThat(EventQuery.builder().from(AT.plusMillis(1)).build().matches(event))
                .isFalse();
        assertThat(EventQuery.builder().search("ALICE").build().matches(event)).isTrue();
        assertThat(EventQuery.builder().search("bob").build().matches(event)).isFalse();
    }

    @Test
    void eachEventHasExactlyOneOutcome() {
        RateLimitEvent.Builder event =
                RateLimitEvent.builder().timestamp(AT).key("k").path("/").method("GET");
        RateLimitEvent clean = event.allowed(true).shadow(false).build();
        RateLimitEvent shadowBlocked = event.allowed(true).shadow(true).build();
        RateLimitEvent blocked = event.allowed(false).shadow(false).build();
        RateLimitEvent blockedWithTheFlag = event.allowed(false).shadow(true).build();

        assertThat(List.of(clean, shadowBlocked, blocked, blockedWithTheFlag))
                .allMatch(e -> EventQuery.all().matches(e));
        assertThat(outcomes(clean)).containsExactly(EventQuery.Outcome.ALLOWED);
        assertThat(outcomes(shadowBlocked)).containsExactly(EventQuery.Outcome.SHADOW_BLOCKED);
        assertThat(outcomes(blocked)).containsExactly(EventQuery.Outcome.BLOCKED);
        assertThat(outcomes(blockedWithTheFlag)).containsExactly(EventQuery.Outcome.BLOCKED);
    }

    private static List<EventQuery.Outcome> outcomes(RateLimitEvent event) {
        return Arrays.stream(EventQuery.Outcome.values())
                .filter(outcome -> outcome != EventQuery.Outcome.ANY)
                .filter(outcome -> EventQuery.builder().outcome(outcome).build().matches(event))
                .toList();
    }

    @Test
    void continuingAfterACursorKeepsEveryFilter() {
        EventQuery query = EventQuery.builder().key("k").pageSize(5).build();
        String cursor = new EventCursor(AT, 3).encode();

        EventQuery next = query.after(cursor);

        assertThat(next.key()).contains("k");
        assertThat(next.pageSize()).isEqualTo(5);
        assertThat(next.cursor()).contains(new EventCursor(AT, 3));
        assertThat(next)
                .isEqualTo(
                        EventQuery.builder().key("k").pageSize(5).after(cursor).build());
    }
}
