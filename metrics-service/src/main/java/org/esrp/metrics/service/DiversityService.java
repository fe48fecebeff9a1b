package org.esrp.metrics.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.metrics.diversity.DistinctN;
import org.esrp.metrics.diversity.EmbeddingDispersion;
import org.esrp.metrics.diversity.SelfBleu;
import org.esrp.metrics.domain.Estimate;
import org.esrp.metrics.domain.Rubric;
import org.esrp.metrics.messaging.AnswerEvent;
import org.esrp.metrics.messaging.RatingEvent;
import org.esrp.metrics.service.Dialogues.Responder;
import org.esrp.metrics.service.StudyStore.Snapshot;
import org.esrp.metrics.stats.Descriptive;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Automatic diversity per responder, computed from the answers as they arrive (no network): distinct-1, distinct-2,
 * character-level self-BLEU and embedding dispersion (mean pairwise cosine distance, over the answers embedded so far)
 * per (responder, character) over both rounds, averaged over characters; beside it the human diversity rating of
 * diversity items.
 */
@ApplicationScoped
public class DiversityService {

    public record Diversity(UUID responderId, String responderName, String kind, Double distinct1, Double distinct2,
                            Double selfBleu, Double embeddingDispersion, Estimate humanDiversityRating) {
    }

    private record TextMeasures(Double distinct1, Double distinct2, Double selfBleu, Double embeddingDispersion) {
    }

    private record Cached(int answers, int embedded, Map<UUID, TextMeasures> measures) {
    }

    // Text measures change only with the answers and their embeddings: recomputed when either count changes.
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final EmbeddingIndex embeddings;

    public DiversityService(EmbeddingIndex embeddings) {
        this.embeddings = embeddings;
    }

    /** @param round 1 or 2 for the answers of that round only; null for both */
    public List<Diversity> diversity(Snapshot snapshot, Integer round) {
        Map<UUID, Responder> responders = Dialogues.responders(snapshot);
        Map<UUID, TextMeasures> measures = textMeasures(snapshot, round);
        Map<UUID, Map<UUID, List<Double>>> ratingsByResponder = new TreeMap<>();
        for (RatingEvent r : snapshot.ratings()) {
            Integer score = r.scores().get(Rubric.DIVERSITY);
            if ("DIVERSITY".equals(r.itemKind()) && !r.gold() && score != null && r.responderId() != null) {
                ratingsByResponder.computeIfAbsent(r.responderId(), id -> new TreeMap<>())
                        .computeIfAbsent(r.itemId(), id -> new ArrayList<>()).add(score.doubleValue());
            }
        }
        List<Diversity> rows = new ArrayList<>();
        for (Responder responder : responders.values()) {
            TextMeasures text = measures.getOrDefault(responder.id(), new TextMeasures(null, null, null, null));
            rows.add(new Diversity(responder.id(), responder.name(), responder.kind(), text.distinct1(), text.distinct2(),
                    text.selfBleu(), text.embeddingDispersion(), humanRating(ratingsByResponder.get(responder.id()))));
        }
        return rows;
    }

    private Map<UUID, TextMeasures> textMeasures(Snapshot snapshot, Integer round) {
        int embedded = embeddings.size();
        String key = snapshot.studyId() + "/" + round;
        Cached cached = cache.get(key);
        if (cached != null && cached.answers() == snapshot.answers().size() && cached.embedded() == embedded) {
            return cached.measures();
        }
        Map<UUID, Map<UUID, List<String>>> texts = new TreeMap<>();
        Map<UUID, Map<UUID, List<float[]>>> vectors = new TreeMap<>();
        for (AnswerEvent a : snapshot.answers()) {
            if (a.answer() != null && (round == null || a.round() == round)) {
                texts.computeIfAbsent(a.responderId(), id -> new TreeMap<>()).computeIfAbsent(a.characterId(), id -> new ArrayList<>()).add(a.answer());
                embeddings.vector(a.responseId()).ifPresent(v -> vectors.computeIfAbsent(a.responderId(), id -> new TreeMap<>())
                        .computeIfAbsent(a.characterId(), id -> new ArrayList<>()).add(v));
            }
        }
        Map<UUID, TextMeasures> measures = new TreeMap<>();
        texts.forEach((responder, byCharacter) -> {
            double d1 = 0;
            double d2 = 0;
            double bleu = 0;
            int n = 0;
            int bleuN = 0;
            for (List<String> answers : byCharacter.values()) {
                d1 += DistinctN.distinct(answers, 1);
                d2 += DistinctN.distinct(answers, 2);
                n++;
                double b = SelfBleu.selfBleu(answers, 4);
                if (!Double.isNaN(b)) {
                    bleu += b;
                    bleuN++;
                }
            }
            double dispersion = 0;
            int dispersionN = 0;
            for (List<float[]> pair : vectors.getOrDefault(responder, Map.of()).values()) {
                if (pair.size() >= 2) {
                    dispersion += EmbeddingDispersion.dispersion(pair.toArray(float[][]::new));
                    dispersionN++;
                }
            }
            measures.put(responder, new TextMeasures(Estimate.finite(d1 / n), Estimate.finite(d2 / n),
                    bleuN == 0 ? null : Estimate.finite(bleu / bleuN), dispersionN == 0 ? null : Estimate.finite(dispersion / dispersionN)));
        });
        cache.put(key, new Cached(snapshot.answers().size(), embedded, measures));
        return measures;
    }

    private static Estimate humanRating(Map<UUID, List<Double>> byItem) {
        if (byItem == null || byItem.isEmpty()) {
            return new Estimate(null, null, null, 0);
        }
        double[] itemMeans = byItem.values().stream().mapToDouble(v -> v.stream().mapToDouble(Double::doubleValue).average().orElseThrow()).toArray();
        Descriptive.Interval ci = Descriptive.tInterval(itemMeans, 0.95);
        return new Estimate(Estimate.finite(Descriptive.mean(itemMeans)), Estimate.finite(ci.low()), Estimate.finite(ci.high()), itemMeans.length);
    }
}
