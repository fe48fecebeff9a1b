package org.esrp.metrics.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.metrics.domain.Estimate;
import org.esrp.metrics.domain.Rubric;
import org.esrp.metrics.messaging.RatingEvent;
import org.esrp.metrics.service.StudyStore.Snapshot;
import org.esrp.metrics.stats.Krippendorff;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Inter-rater agreement per metric: Krippendorff's alpha over the items rated two or more times. */
@ApplicationScoped
public class AgreementService {

    public record Agreement(String metric, Double ordinal, Double interval, Double nominal, int items, int pairableValues) {
    }

    public List<Agreement> agreement(Snapshot snapshot, String raterKind) {
        Map<UUID, List<RatingEvent>> byItem = new TreeMap<>();
        for (RatingEvent r : snapshot.ratings()) {
            if (!r.gold() && (raterKind == null || raterKind.equals(r.raterKind()))) {
                byItem.computeIfAbsent(r.dialogueId() != null ? r.dialogueId() : r.itemId(), id -> new ArrayList<>()).add(r);
            }
        }
        List<String> metrics = new ArrayList<>(Rubric.METRICS);
        metrics.add(Rubric.DIVERSITY);
        List<Agreement> rows = new ArrayList<>();
        for (String metric : metrics) {
            List<List<Double>> units = new ArrayList<>();
            for (List<RatingEvent> ratings : byItem.values()) {
                List<Double> values = new ArrayList<>();
                for (RatingEvent r : ratings) {
                    Integer score = r.scores().get(metric);
                    if (score != null) {
                        values.add(score.doubleValue());
                    }
                }
                if (!values.isEmpty()) {
                    units.add(values);
                }
            }
            Krippendorff.Result ordinal = Krippendorff.alpha(units, Krippendorff.Level.ORDINAL);
            Krippendorff.Result interval = Krippendorff.alpha(units, Krippendorff.Level.INTERVAL);
            Krippendorff.Result nominal = Krippendorff.alpha(units, Krippendorff.Level.NOMINAL);
            rows.add(new Agreement(metric, Estimate.finite(ordinal.alpha()), Estimate.finite(interval.alpha()),
                    Estimate.finite(nominal.alpha()), ordinal.units(), ordinal.pairableValues()));
        }
        return rows;
    }
}
