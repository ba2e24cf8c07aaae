package dev.tollgate.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.Offender;
import dev.tollgate.events.RateLimitEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OffenderRankingTest {

    private static final Instant NOW = Instant.parse("2026-03-15T12:34:56.789Z");
    private static final long MAX_BYTES = 64L << 20;

    @Test
    void aKeptWindowMovedOnAnHourRanksAsOneCountedAfresh() {
        EventLog log = log();
        log.append(blockedOverTheLastDays(3));
        OffenderRanking kept = new OffenderRanking(log, MAX_BYTES);
        long now = NOW.toEpochMilli();
        kept.top(EventLog.Ranking.BLOCKED, now, now - EventLog.DAY, EventLog.DAY, 10);
        assertThat(kept.bytes()).isPositive();

        long later = now + 2 * EventLog.HOUR;
        List<Offender> moved = kept.top(EventLog.Ranking.BLOCKED, later, later - EventLog.DAY, EventLog.DAY, 10);

        assertThat(moved)
                .isNotEmpty()
                .isEqualTo(new OffenderRanking(log, MAX_BYTES)
                        .top(EventLog.Ranking.BLOCKED, later, later - EventLog.DAY, EventLog.DAY, 10));
    }

    @Test
    void countsALateEventInAnHourItHasSettled() {
        EventLog log = log();
        log.append(blockedOverTheLastDays(1));
        long now = NOW.toEpochMilli();
        log.topOffenders(EventLog.Ranking.BLOCKED, now, now - EventLog.DAY, EventLog.DAY, 10);

        List<RateLimitEvent> late = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            late.add(blocked(NOW.minusSeconds(5 * 3600), "ip:late"));
        }
        log.append(late);

        assertThat(log.topOffenders(EventLog.Ranking.BLOCKED, now, now - EventLog.DAY, EventLog.DAY, 1))
                .containsExactly(new Offender("ip:late", 500));
    }

    @Test
    void rankingsSideBySideUnderTheReadLockAnswerAsOneAtATime() throws Exception {
        EventLog log = log();
        log.append(blockedOverTheLastDays(8));
        long now = NOW.toEpochMilli();

        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                int first = thread;
                answers.add(threads.submit(() -> {
                    boolean same = true;
                    for (int i = 0; i < 200; i++) {
                        // more lengths than are kept, so that kept windows are also forgotten as calls race
                        int days = 1 + (first + i) % (OffenderRanking.WINDOWS + 2);
                        // ten minutes on each round: the kept windows move on, or are counted again, as calls race
                        long at = now + (i / 8) * 600_000L;
                        long from = at - days * EventLog.DAY;
                        List<Offender> answer = log.topOffenders(EventLog.Ranking.BLOCKED, at, from, at - from, 10);
                        // a ranking of its own keeps nothing another thread moves: counted afresh, it is the truth
                        same &= answer.equals(new OffenderRanking(log, MAX_BYTES)
                                .top(EventLog.Ranking.BLOCKED, at, from, at - from, 10));
                    }
                    return same;
                }));
            }
            for (Future<Boolean> answer : answers) {
                assertThat(answer.get(1, TimeUnit.MINUTES)).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** Blocked events of forty keys over the last {@code days}, key {@code i} blocked about {@code i + 1} times as often. */
    private static List<RateLimitEvent> blockedOverTheLastDays(int days) {
        List<RateLimitEvent> events = new ArrayList<>();
        long span = days * 86_400L;
        for (int key = 0; key < 40; key++) {
            int count = (key + 1) * 3 * days;
            for (int n = 0; n < count; n++) {
                events.add(blocked(NOW.minusSeconds(span * n / count + key), "ip:10.0.0." + key));
            }
        }
        return events;
    }

    private static RateLimitEvent blocked(Instant at, String key) {
        return RateLimitEvent.builder()
                .timestamp(at)
                .key(key)
                .ruleName("api")
                .path("/")
                .method("GET")
                .allowed(false)
                .build();
    }

    private static EventLog log() {
        return new EventLog(MemoryStoreOptions.defaults().withMaxBytes(MAX_BYTES));
    }
}
