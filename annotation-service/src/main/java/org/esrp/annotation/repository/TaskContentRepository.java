package org.esrp.annotation.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What a task shows, read in one statement per task on the reactive pool (see {@link TaskQueue} for why). */
@ApplicationScoped
public class TaskContentRepository {

    // A dialogue's rounds, or a diversity set's answers in the set's order, with the item they belong to and how
    // many ratings the annotator gave in its study.
    private static final String CONTENT = """
            SELECT i.kind, i.gold, i.gold_content, i.study_id, i.character_name, i.persona, i.emotion,
                   (SELECT count(*) FROM rating d WHERE d.annotator_id = $2 AND d.study_id = i.study_id) AS done,
                   a.round, a.user_message, a.answer
            FROM item i
            LEFT JOIN LATERAL (
                SELECT d.round, d.user_message, d.answer, d.round AS position FROM answer d
                WHERE i.kind = 'DIALOGUE' AND NOT i.gold AND d.dialogue_id = i.dialogue_id
                UNION ALL
                SELECT s.round, s.user_message, s.answer, ia.position FROM item_answer ia JOIN answer s ON s.response_id = ia.response_id
                WHERE i.kind = 'DIVERSITY' AND ia.item_id = i.id) a ON true
            WHERE i.id = $1
            ORDER BY a.position""";

    private final Pool pool;

    public TaskContentRepository(Pool pool) {
        this.pool = pool;
    }

    public record Text(int round, String userMessage, String answer) {
    }

    /** The item as the annotator sees it (nothing about its responder), and its texts in order. */
    public record Content(String kind, boolean gold, String goldContent, UUID studyId, String characterName, String persona,
                         String emotion, long done, List<Text> texts) {
    }

    public Uni<Content> content(UUID itemId, UUID annotatorId) {
        return pool.preparedQuery(CONTENT).execute(Tuple.of(itemId, annotatorId)).map(rows -> {
            Content content = null;
            for (Row row : rows) {
                if (content == null) {
                    content = new Content(row.getString("kind"), row.getBoolean("gold"), row.getString("gold_content"),
                            row.getUUID("study_id"), row.getString("character_name"), row.getString("persona"),
                            row.getString("emotion"), row.getLong("done"), new ArrayList<>());
                }
                if (row.getString("answer") != null) {
                    content.texts().add(new Text(row.getShort("round"), row.getString("user_message"), row.getString("answer")));
                }
            }
            return content;
        });
    }

    /** How many ratings the annotator gave in the study. */
    public Uni<Long> done(UUID annotatorId, UUID studyId) {
        return pool.preparedQuery("SELECT count(*) FROM rating WHERE annotator_id = $1 AND study_id = $2")
                .execute(Tuple.of(annotatorId, studyId)).map(rows -> rows.iterator().next().getLong(0));
    }
}
