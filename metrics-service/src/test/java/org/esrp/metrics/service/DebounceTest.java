package org.esrp.metrics.service;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DebounceTest {

    private static final long MS = 1_000_000L;

    private final Debounce<String> debounce = new Debounce<>(500 * MS, 5_000 * MS);

    @Test
    void aKeyIsComputedOnceItHasBeenQuiet() {
        debounce.touch("a", 0);
        debounce.touch("a", 300 * MS);
        assertEquals(List.of(), debounce.due(700 * MS));
        assertEquals(List.of("a"), debounce.due(800 * MS));
        assertEquals(List.of(), debounce.due(900 * MS), "nothing changed since");
    }

    @Test
    void aKeyFedOnceASecondIsComputedEveryThrottleNotOncePerChange() {
        List<Long> computed = new ArrayList<>();
        for (long ms = 0; ms <= 60_000; ms += 100) {
            if (ms % 1_000 == 0) {
                debounce.touch("a", ms * MS);
            }
            if (!debounce.due(ms * MS).isEmpty()) {
                computed.add(ms);
            }
        }
        // quiet after its first change, then no sooner than 5 s after each computation: 500, 5,500, 10,500, ... 55,500
        assertEquals(12, computed.size(), computed.toString());
        assertEquals(500L, computed.get(0));
        for (int i = 1; i < computed.size(); i++) {
            assertEquals(5_000L, computed.get(i) - computed.get(i - 1), computed.toString());
        }
    }

    @Test
    void aKeyThatNeverGoesQuietIsComputedAfterTheThrottle() {
        List<Long> computed = new ArrayList<>();
        for (long ms = 0; ms <= 12_000; ms += 100) {
            debounce.touch("a", ms * MS);
            if (!debounce.due(ms * MS).isEmpty()) {
                computed.add(ms);
            }
        }
        // 5 s after its first change, then 5 s after the first change that followed the computation
        assertEquals(List.of(5_000L, 10_100L), computed);
    }

    @Test
    void dueKeysComeOldestChangeFirst() {
        debounce.touch("late", 200 * MS);
        debounce.touch("early", 100 * MS);
        debounce.touch("middle", 150 * MS);
        assertEquals(List.of("early", "middle", "late"), debounce.due(1_000 * MS));
    }

    @Test
    void aChangeAfterTheLookKeepsTheKeyForTheNextOne() {
        debounce.touch("a", 0);
        assertEquals(List.of("a"), debounce.due(600 * MS));
        debounce.touch("a", 700 * MS);
        assertTrue(debounce.due(1_300 * MS).isEmpty(), "within the throttle of the last computation");
        assertEquals(List.of("a"), debounce.due(5_600 * MS));
    }

    @Test
    void aRetriedKeyIsNotHeldByTheThrottle() {
        debounce.touch("a", 0);
        assertEquals(List.of("a"), debounce.due(600 * MS));
        debounce.retry("a", 700 * MS);
        assertEquals(List.of("a"), debounce.due(1_200 * MS));
    }
}
