package org.esrp.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.esrp.events.RatingEvent;
import org.esrp.events.Rubric;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.messaging.StudyEvent;
import org.esrp.metrics.messaging.StudyEventSerde;
import org.esrp.metrics.repository.StateKeys;
import org.esrp.metrics.repository.StudyListener;
import org.esrp.metrics.repository.StudyModels;
import org.esrp.metrics.repository.StudyState;
import org.esrp.metrics.service.JudgeAgreementService;
import org.esrp.metrics.service.JudgeAgreementService.JudgeAgreement;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The judges' models are kept in the study's stored meta; a meta stored before judges were named still loads. */
class JudgeModelsStateTest {

    final UUID study = UUID.randomUUID();
    final UUID judge = new UUID(1, 1);
    final UUID responder = UUID.randomUUID();
    final MapKeyValues store = new MapKeyValues();

    @Test
    void aRestartKnowsTheJudgesModels() {
        StudyModels live = new StudyModels();
        StudyState state = new StudyState(store, 0, live, StudyListener.NONE, false);
        UUID dialogue = UUID.randomUUID();
        state.apply(rating(dialogue, new UUID(0, 1), "HUMAN", null, 4));
        state.apply(rating(dialogue, judge, "LLM_JUDGE", "judge-b", 5));
        // a second name for the same judge: the first in alphabetical order stands, whatever the order of arrival
        state.apply(rating(UUID.randomUUID(), judge, "LLM_JUDGE", "judge-c", 3));
        state.apply(rating(UUID.randomUUID(), judge, "LLM_JUDGE", "judge-a", 3));
        assertEquals(Map.of(judge, "judge-a"), live.get(study).judgeModels());

        StudyModels restored = new StudyModels();
        new StudyState(store, 0, restored, StudyListener.NONE, false).load();
        assertEquals(Map.of(judge, "judge-a"), restored.get(study).judgeModels());
        assertEquals("judge-a", rows(restored.get(study)).get(0).judgeModel());
    }

    @Test
    void aMetaStoredBeforeJudgesWereNamedStillLoads() throws Exception {
        StudyModels live = new StudyModels();
        StudyState state = new StudyState(store, 0, live, StudyListener.NONE, false);
        UUID dialogue = UUID.randomUUID();
        state.apply(rating(dialogue, new UUID(0, 1), "HUMAN", null, 4));
        state.apply(rating(dialogue, judge, "LLM_JUDGE", null, 5));
        // the meta as the previous version wrote it: no "judges" field
        ObjectNode meta = (ObjectNode) StudyEventSerde.MAPPER.readTree(store.get(StateKeys.meta(study)));
        meta.remove("judges");
        store.put(StateKeys.meta(study), StudyEventSerde.MAPPER.writeValueAsBytes(meta));

        StudyModels restored = new StudyModels();
        new StudyState(store, 0, restored, StudyListener.NONE, false).load();
        StudyModel model = restored.get(study);
        assertTrue(model.judgeModels().isEmpty());
        List<JudgeAgreement> rows = rows(model);
        assertEquals(Rubric.DIALOGUE.size(), rows.size(), "the judge is known from its ratings, its model is not");
        assertEquals(judge, rows.get(0).judgeId());
        assertNull(rows.get(0).judgeModel());
        assertEquals(1, rows.get(0).items());
        assertNull(rows.get(0).spearman(), "one item has no correlation");
        assertNull(rows.get(0).alphaHumansOrdinal(), "one human value is not pairable");

        // its next rating names it, and the meta stored then keeps the name
        new StudyState(store, 0, restored, StudyListener.NONE, false).apply(rating(UUID.randomUUID(), judge, "LLM_JUDGE", "judge-a", 3));
        StudyModels again = new StudyModels();
        new StudyState(store, 0, again, StudyListener.NONE, false).load();
        assertEquals(Map.of(judge, "judge-a"), again.get(study).judgeModels());
    }

    private static List<JudgeAgreement> rows(StudyModel model) {
        return new JudgeAgreementService().agreement(model, false);
    }

    private StudyEvent rating(UUID dialogue, UUID annotator, String raterKind, String raterModel, int score) {
        Map<String, Integer> scores = new HashMap<>();
        Rubric.DIALOGUE.forEach(m -> scores.put(m.key(), score));
        return new StudyEvent.Rating(new RatingEvent(RatingEvent.SCHEMA_VERSION, UUID.randomUUID(), study, RatingEvent.DIALOGUE,
                UUID.randomUUID(), dialogue, List.of(), responder, "LLM", "model", UUID.randomUUID(), null, UUID.randomUUID(),
                annotator, raterKind, raterModel, scores, null, 60_000L, List.of(), false, null, null));
    }
}
