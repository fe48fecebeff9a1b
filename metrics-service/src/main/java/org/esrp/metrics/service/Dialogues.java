package org.esrp.metrics.service;

import org.esrp.metrics.domain.Rubric;
import org.esrp.metrics.messaging.AnswerEvent;
import org.esrp.metrics.messaging.RatingEvent;
import org.esrp.metrics.service.StudyStore.Snapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Rated dialogues of a snapshot: per dialogue, the mean of its raters' scores on each metric, dimension and overall. */
final class Dialogues {

    static final String OVERALL = "overall";

    /** What is known of a responder, from its answers or, failing those, its ratings. */
    record Responder(UUID id, String name, String kind, String modelName) {
    }

    /** A dialogue's identity and its mean scores. */
    record Rated(UUID dialogueId, UUID responderId, UUID characterId, String characterName, UUID scenarioId,
                 String persona, String emotion, int ratings, Map<String, Double> scores) {
    }

    private Dialogues() {
    }

    static Map<UUID, Responder> responders(Snapshot snapshot) {
        Map<UUID, Responder> responders = new TreeMap<>();
        for (AnswerEvent a : snapshot.answers()) {
            responders.putIfAbsent(a.responderId(), new Responder(a.responderId(), a.responderName(), a.responderKind(), a.modelName()));
        }
        for (RatingEvent r : snapshot.ratings()) {
            if (r.responderId() != null) {
                responders.putIfAbsent(r.responderId(), new Responder(r.responderId(), r.responderId().toString().substring(0, 8),
                        r.responderKind(), r.modelName()));
            }
        }
        return responders;
    }

    /** Non-gold DIALOGUE ratings, optionally of one rater kind, grouped into their dialogues (sorted by dialogue id). */
    static List<Rated> rated(Snapshot snapshot, String raterKind) {
        Map<UUID, AnswerEvent> firstAnswer = new HashMap<>();
        for (AnswerEvent a : snapshot.answers()) {
            firstAnswer.putIfAbsent(a.dialogueId(), a);
        }
        Map<UUID, List<RatingEvent>> byDialogue = new TreeMap<>();
        for (RatingEvent r : snapshot.ratings()) {
            if ("DIALOGUE".equals(r.itemKind()) && !r.gold() && r.dialogueId() != null
                    && (raterKind == null || raterKind.equals(r.raterKind()))) {
                byDialogue.computeIfAbsent(r.dialogueId(), id -> new ArrayList<>()).add(r);
            }
        }
        List<Rated> rated = new ArrayList<>();
        byDialogue.forEach((dialogueId, ratings) -> {
            RatingEvent first = ratings.get(0);
            AnswerEvent answer = firstAnswer.get(dialogueId);
            rated.add(new Rated(dialogueId, first.responderId(), first.characterId(), first.characterName(), first.scenarioId(),
                    answer == null ? null : answer.persona(), answer == null ? null : answer.emotion(), ratings.size(), scores(ratings)));
        });
        return rated;
    }

    /** Per metric the raters' mean; per dimension the mean of its metrics; overall the mean of all nine. */
    static Map<String, Double> scores(List<RatingEvent> ratings) {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (String metric : Rubric.METRICS) {
            double sum = 0;
            int n = 0;
            for (RatingEvent r : ratings) {
                Integer score = r.scores().get(metric);
                if (score != null) {
                    sum += score;
                    n++;
                }
            }
            if (n > 0) {
                scores.put(metric, sum / n);
            }
        }
        double all = 0;
        int allN = 0;
        for (Map.Entry<String, List<String>> dimension : Rubric.DIMENSIONS.entrySet()) {
            double sum = 0;
            int n = 0;
            for (String metric : dimension.getValue()) {
                Double score = scores.get(metric);
                if (score != null) {
                    sum += score;
                    n++;
                    all += score;
                    allN++;
                }
            }
            if (n > 0) {
                scores.put(dimension.getKey(), sum / n);
            }
        }
        if (allN > 0) {
            scores.put(OVERALL, all / allN);
        }
        return scores;
    }
}
