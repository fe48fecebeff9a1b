package org.esrp.annotation.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.domain.StudyDesign;
import org.esrp.events.ResponseEvent;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.UUID;

/**
 * Stores consumed answers and the items they complete, in one transaction per answer: a DIALOGUE item once both rounds
 * of a dialogue are in; a DIVERSITY item whenever a responder has M round-1 answers for a character not yet in a set.
 * Plain SQL on the reactive pool, three statements at most: every answer of every run comes this way, as fast as
 * generation-service makes them (through Hibernate it took eight or more, and a flush per entity).
 */
@ApplicationScoped
public class AnswerIntake {

    private static final String ANSWER = """
            INSERT INTO answer (response_id, study_id, dialogue_id, character_id, character_name, scenario_id, scenario_key,
                                persona, emotion, responder_id, responder_name, responder_kind, model_name, round,
                                user_message, answer, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
            ON CONFLICT (response_id) DO NOTHING""";

    // k from the study's design, or the default; the item is made by whichever of the two rounds arrives second
    private static final String DIALOGUE_ITEM = """
            INSERT INTO item (id, study_id, kind, dialogue_id, character_id, character_name, scenario_id, persona, emotion,
                              responder_id, responder_kind, model_name, gold, ratings, open_slots, created_at)
            SELECT $1, a.study_id, 'DIALOGUE', a.dialogue_id, a.character_id, a.character_name, a.scenario_id, a.persona,
                   a.emotion, a.responder_id, a.responder_kind, a.model_name, false, 0,
                   coalesce((SELECT d.raters_per_item FROM study_design d WHERE d.study_id = a.study_id), $3), now()
            FROM answer a
            WHERE a.response_id = $2 AND (SELECT count(*) FROM answer b WHERE b.dialogue_id = a.dialogue_id) >= 2
            ON CONFLICT (dialogue_id) DO NOTHING""";

    // The responder's first M free round-1 answers for the character, in the order they were written, become the next set.
    private static final String DIVERSITY_SET = """
            WITH design AS (
                SELECT coalesce(max(d.raters_per_item), $5) AS k, coalesce(max(d.diversity_set_size), $6) AS m
                FROM study_design d WHERE d.study_id = $1),
            free AS (
                SELECT f.response_id, (row_number() OVER (ORDER BY f.created_at, f.scenario_key) - 1)::smallint AS position
                FROM (SELECT a.response_id, a.created_at, a.scenario_key FROM answer a
                      WHERE a.responder_id = $2 AND a.character_id = $3 AND a.round = 1 AND NOT a.in_diversity_set
                      ORDER BY a.created_at, a.scenario_key
                      LIMIT (SELECT m FROM design)) f),
            sample AS (
                SELECT s.* FROM answer s
                WHERE s.response_id = $4 AND (SELECT count(*) FROM free) = (SELECT m FROM design)),
            made AS (
                INSERT INTO item (id, study_id, kind, character_id, character_name, responder_id, responder_kind, model_name,
                                  gold, ratings, open_slots, set_ordinal, created_at)
                SELECT $7, s.study_id, 'DIVERSITY', s.character_id, s.character_name, s.responder_id, s.responder_kind,
                       s.model_name, false, 0, (SELECT k FROM design),
                       (SELECT count(*) FROM item i WHERE i.kind = 'DIVERSITY' AND i.study_id = s.study_id
                          AND i.responder_id = s.responder_id AND i.character_id = s.character_id),
                       now()
                FROM sample s
                RETURNING id),
            placed AS (
                INSERT INTO item_answer (item_id, response_id, position)
                SELECT made.id, free.response_id, free.position FROM made, free)
            UPDATE answer SET in_diversity_set = true
            WHERE response_id IN (SELECT response_id FROM free) AND EXISTS (SELECT 1 FROM made)""";

    private final Pool pool;

    public AnswerIntake(Pool pool) {
        this.pool = pool;
    }

    /** Stores the answer once per responseId with the items it completes; an answer stored before changes nothing. */
    public Uni<Void> store(ResponseEvent event) {
        StudyDesign defaults = StudyDesign.defaults(event.studyId());
        return pool.withTransaction(conn -> conn.preparedQuery(ANSWER).execute(answer(event))
                .flatMap(inserted -> inserted.rowCount() == 0 ? Uni.createFrom().voidItem()
                        : conn.preparedQuery(DIALOGUE_ITEM)
                                .execute(Tuple.of(UUID.randomUUID(), event.responseId(), defaults.ratersPerItem))
                                .flatMap(made -> event.round() == 1 ? diversitySet(conn, event, defaults) : Uni.createFrom().voidItem())
                                .replaceWithVoid()));
    }

    private static Uni<Void> diversitySet(SqlConnection conn, ResponseEvent event, StudyDesign defaults) {
        return conn.preparedQuery(DIVERSITY_SET)
                .execute(Tuple.tuple(Arrays.asList(event.studyId(), event.responderId(), event.characterId(), event.responseId(),
                        defaults.ratersPerItem, defaults.diversitySetSize, UUID.randomUUID())))
                .replaceWithVoid();
    }

    private static Tuple answer(ResponseEvent e) {
        return Tuple.tuple(Arrays.asList(e.responseId(), e.studyId(), e.dialogueId(), e.characterId(), e.characterName(),
                e.scenarioId(), e.scenarioKey(), e.persona(), e.emotion(), e.responderId(), e.responderName(),
                e.responderKind(), e.modelName(), (short) e.round(), e.userMessage(), e.answer(),
                e.createdAt() != null ? e.createdAt() : OffsetDateTime.now()));
    }
}
