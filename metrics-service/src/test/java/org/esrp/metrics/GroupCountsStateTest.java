package org.esrp.metrics;

import org.esrp.events.ResponseEvent;
import org.esrp.metrics.domain.GroupDiversity;
import org.esrp.metrics.messaging.StudyEvent;
import org.esrp.metrics.repository.StudyListener;
import org.esrp.metrics.repository.StudyModels;
import org.esrp.metrics.repository.StudyState;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A group's numbers of answers and embeddings are not stored with it but counted from the store when it loads: a
 * restart has the counts the live instance had, repeats not counted, and keeps the measures stored before.
 */
class GroupCountsStateTest {

    final UUID study = UUID.randomUUID();
    final UUID character = UUID.randomUUID();
    final UUID responder = UUID.randomUUID();
    final UUID other = UUID.randomUUID();
    final MapKeyValues store = new MapKeyValues();

    @Test
    void aRestartCountsTheAnswersAndEmbeddingsOfEachGroupInEachScope() {
        StudyModels live = new StudyModels();
        StudyState state = new StudyState(store, 0, live, StudyListener.NONE, true);
        // responder: 3 answers in round 1, 2 in round 2; embeddings of two round-1 answers and one round-2 answer
        UUID[] round1 = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};
        UUID[] round2 = {UUID.randomUUID(), UUID.randomUUID()};
        for (UUID id : round1) {
            state.apply(new StudyEvent.Answer(answer(id, responder, 1)));
        }
        for (UUID id : round2) {
            state.apply(new StudyEvent.Answer(answer(id, responder, 2)));
        }
        assertFalse(state.apply(new StudyEvent.Answer(answer(round1[0], responder, 1))), "a repeat changes nothing");
        state.apply(new StudyEvent.Embedding(study, responder, character, 1, round1[0], new byte[]{1}));
        state.apply(new StudyEvent.Embedding(study, responder, character, 1, round1[1], new byte[]{1}));
        state.apply(new StudyEvent.Embedding(study, responder, character, 2, round2[0], new byte[]{1}));
        // the other responder: one embedding that came before its answer, and no answer yet
        state.apply(new StudyEvent.Embedding(study, other, character, 1, UUID.randomUUID(), new byte[]{1}));
        GroupDiversity.Measures measured = new GroupDiversity.Measures(5, 3, 0.5, 0.75, 0.25, null, null, null);
        state.apply(new StudyEvent.Diversity(study, responder, character, 0, measured));

        StudyModels restored = new StudyModels();
        new StudyState(store, 0, restored, StudyListener.NONE, true).load();
        GroupDiversity group = restored.get(study).group(responder, character);
        // scopes: 0 both rounds, 1 round 1, 2 round 2
        assertArrayEquals(new int[]{5, 3, 2}, group.answers());
        assertArrayEquals(new int[]{3, 2, 1}, group.vectors());
        assertEquals(measured, group.measures()[0]);
        assertArrayEquals(live.get(study).group(responder, character).answers(), group.answers());
        GroupDiversity early = restored.get(study).group(other, character);
        assertArrayEquals(new int[]{0, 0, 0}, early.answers());
        assertArrayEquals(new int[]{1, 1, 0}, early.vectors());

        // the store holds the group's record once, written with its measures, not once per answer
        long groups = store.entries.keySet().stream().filter(k -> k.get()[16] == 'G').count();
        assertEquals(1, groups);
        assertTrue(group.stale(1, true), "round 1 was never measured");
    }

    private ResponseEvent answer(UUID responseId, UUID responderId, int round) {
        return new ResponseEvent(ResponseEvent.SCHEMA_VERSION, responseId, study, UUID.randomUUID(), character, "《冰菓》的折木奉太郎",
                UUID.randomUUID(), "1", null, null, responderId, "model", "LLM", "model", round, "问题", "回答 " + responseId, null, null,
                null, null, null, null);
    }
}
