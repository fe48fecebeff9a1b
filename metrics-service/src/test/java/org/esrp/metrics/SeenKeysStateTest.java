package org.esrp.metrics;

import org.apache.kafka.common.utils.Bytes;
import org.esrp.events.RatingEvent;
import org.esrp.events.ResponseEvent;
import org.esrp.events.Rubric;
import org.esrp.metrics.messaging.StudyEvent;
import org.esrp.metrics.repository.SeenKeys;
import org.esrp.metrics.repository.StudyListener;
import org.esrp.metrics.repository.StudyModels;
import org.esrp.metrics.repository.StudyState;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * New events are de-duplicated without store reads, and de-duplication stays exact: every repeat is refused, before and
 * after a restart, however many keys the partition holds.
 */
class SeenKeysStateTest {

    final UUID study = UUID.randomUUID();
    final UUID character = UUID.randomUUID();
    final UUID responder = UUID.randomUUID();
    final UUID dialogue = UUID.randomUUID();

    @Test
    void newRatingsAreNotLookedUpAndRepeatsAreRefusedAfterARestart() {
        MapKeyValues store = new MapKeyValues();
        StudyModels live = new StudyModels();
        StudyState state = new StudyState(store, 0, live, StudyListener.NONE, false);
        UUID answerId = UUID.randomUUID();
        assertTrue(state.apply(new StudyEvent.Answer(answer(answerId))));
        List<StudyEvent> ratings = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            ratings.add(rating(UUID.randomUUID(), 1 + i % 5));
        }
        ratings.forEach(state::apply);
        // a Bloom filter's false positives (1% at most) are the only reads; the reads of before were one per event
        assertTrue(store.reads < 60, "store reads for 3,001 new events: " + store.reads);
        assertEquals(3_000, live.get(study).item(dialogue).ratings(null));

        store.reads = 0;
        for (StudyEvent repeat : ratings.subList(0, 100)) {
            assertFalse(state.apply(repeat), "a repeat changes nothing");
        }
        assertEquals(100, store.reads, "a repeat is settled by the store");
        assertFalse(state.apply(new StudyEvent.Answer(answer(answerId))));

        StudyModels restored = new StudyModels();
        StudyState again = new StudyState(store, 0, restored, StudyListener.NONE, false);
        again.load();
        for (StudyEvent repeat : ratings) {
            assertFalse(again.apply(repeat), "a repeat after a restart changes nothing");
        }
        assertFalse(again.apply(new StudyEvent.Answer(answer(answerId))));
        assertEquals(3_000, restored.get(study).item(dialogue).ratings(null));
        assertTrue(again.apply(rating(UUID.randomUUID(), 3)));
        assertEquals(3_001, restored.get(study).item(dialogue).ratings(null));
    }

    @Test
    void theFiltersGrowWithoutForgettingAKey() {
        SeenKeys seen = new SeenKeys();
        List<Bytes> added = new ArrayList<>();
        for (int i = 0; i < 300_000; i++) {
            Bytes key = key(UUID.randomUUID());
            seen.add(key);
            added.add(key);
        }
        for (Bytes key : added) {
            assertTrue(seen.mightContain(key));
        }
        int falsePositives = 0;
        for (int i = 0; i < 100_000; i++) {
            if (seen.mightContain(key(UUID.randomUUID()))) {
                falsePositives++;
            }
        }
        // four filters of 1% each at most
        assertTrue(falsePositives < 4_000, "false positives in 100,000 new keys: " + falsePositives);
    }

    private Bytes key(UUID id) {
        return Bytes.wrap(ByteBuffer.allocate(33).putLong(study.getMostSignificantBits()).putLong(study.getLeastSignificantBits())
                .put((byte) 'R').putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array());
    }

    private StudyEvent rating(UUID ratingId, int score) {
        Map<String, Integer> scores = new HashMap<>();
        Rubric.DIALOGUE.forEach(m -> scores.put(m.key(), score));
        return new StudyEvent.Rating(new RatingEvent(RatingEvent.SCHEMA_VERSION, ratingId, study, RatingEvent.DIALOGUE,
                UUID.randomUUID(), dialogue, List.of(), responder, "LLM", "model", character, null, UUID.randomUUID(),
                UUID.randomUUID(), "HUMAN", null, scores, null, 60_000L, List.of(), false, null, null));
    }

    private ResponseEvent answer(UUID responseId) {
        return new ResponseEvent(ResponseEvent.SCHEMA_VERSION, responseId, study, dialogue, character, "《冰菓》的折木奉太郎",
                UUID.randomUUID(), "1", null, null, responder, "model", "LLM", "model", 1, "问题", "回答", null, null,
                null, null, null, null);
    }
}
