package org.esrp.metrics.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.metrics.domain.Estimate;
import org.esrp.metrics.messaging.RatingEvent;
import org.esrp.metrics.service.StudyStore.Snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Each annotator: how many ratings, the mean score it gives, its severity (mean deviation of its overall score from the
 * mean of the item's ratings, over items rated two or more times; negative = harsher), straight-lining and gold passes.
 */
@ApplicationScoped
public class RaterService {

    public record Rater(UUID annotatorId, String raterKind, int ratings, Double meanScore, Double severity,
                        Double straightLiningRate, int goldRated, Double goldPassRate) {
    }

    public List<Rater> raters(Snapshot snapshot) {
        Map<UUID, List<RatingEvent>> byItem = new TreeMap<>();
        Map<UUID, List<RatingEvent>> byAnnotator = new TreeMap<>();
        for (RatingEvent r : snapshot.ratings()) {
            if (r.annotatorId() == null) {
                continue;
            }
            byAnnotator.computeIfAbsent(r.annotatorId(), id -> new ArrayList<>()).add(r);
            if (!r.gold()) {
                byItem.computeIfAbsent(r.dialogueId() != null ? r.dialogueId() : r.itemId(), id -> new ArrayList<>()).add(r);
            }
        }
        Map<UUID, Double> itemMeans = new TreeMap<>();
        byItem.forEach((item, ratings) -> {
            if (ratings.size() >= 2) {
                itemMeans.put(item, ratings.stream().mapToDouble(RaterService::overall).average().orElse(Double.NaN));
            }
        });
        List<Rater> rows = new ArrayList<>();
        byAnnotator.forEach((annotator, ratings) -> {
            double meanScore = ratings.stream().filter(r -> !r.gold()).mapToDouble(RaterService::overall).average().orElse(Double.NaN);
            double severity = ratings.stream().filter(r -> !r.gold())
                    .filter(r -> itemMeans.containsKey(r.dialogueId() != null ? r.dialogueId() : r.itemId()))
                    .mapToDouble(r -> overall(r) - itemMeans.get(r.dialogueId() != null ? r.dialogueId() : r.itemId()))
                    .average().orElse(Double.NaN);
            long straight = ratings.stream().filter(r -> r.flags() != null && r.flags().contains("STRAIGHT_LINED")).count();
            List<RatingEvent> gold = ratings.stream().filter(RatingEvent::gold).toList();
            long passed = gold.stream().filter(r -> Boolean.TRUE.equals(r.goldPassed())).count();
            rows.add(new Rater(annotator, ratings.get(0).raterKind(), ratings.size(), Estimate.finite(meanScore),
                    Estimate.finite(severity), straight / (double) ratings.size(), gold.size(),
                    gold.isEmpty() ? null : passed / (double) gold.size()));
        });
        return rows;
    }

    /** A rating's overall score: the mean of the scores it gives. */
    static double overall(RatingEvent rating) {
        return rating.scores().values().stream().mapToInt(Integer::intValue).average().orElse(Double.NaN);
    }
}
