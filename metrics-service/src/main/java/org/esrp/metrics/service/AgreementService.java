package org.esrp.metrics.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.events.RubricMetric;
import org.esrp.metrics.domain.Estimate;
import org.esrp.metrics.domain.RatingValues;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.stats.Krippendorff;

import java.util.ArrayList;
import java.util.List;

/** Inter-rater agreement per metric of the study's rubric: Krippendorff's alpha over the items rated two or more times. */
@ApplicationScoped
public class AgreementService {

    public record Agreement(String metric, Double ordinal, Double interval, Double nominal, int items, int pairableValues) {
    }

    /** @param raterKind null for every kind */
    public List<Agreement> agreement(StudyModel model, String raterKind) {
        Byte kind = RaterKinds.code(raterKind);
        return model.read(m -> {
            List<RubricMetric> metrics = new ArrayList<>(m.rubric());
            metrics.addAll(m.diversityRubric());
            List<Agreement> rows = new ArrayList<>();
            for (RubricMetric metric : metrics) {
                rows.add(agreement(m, metric.key(), kind));
            }
            return rows;
        });
    }

    private static Agreement agreement(StudyModel model, String key, Byte kind) {
        int metric = model.metricIndexOf(key);
        // Scores are shorts: count them by value over the whole short range's offset, then keep the values seen.
        java.util.BitSet seen = new java.util.BitSet(1 << 16);
        for (StudyModel.Item item : model.items()) {
            forEachValue(item, metric, kind, v -> seen.set(v - Short.MIN_VALUE));
        }
        int[] category = new int[1 << 16];
        double[] categories = new double[seen.cardinality()];
        int k = 0;
        for (int bit = seen.nextSetBit(0); bit >= 0; bit = seen.nextSetBit(bit + 1)) {
            category[bit] = k;
            categories[k++] = bit + Short.MIN_VALUE;
        }
        List<int[]> units = new ArrayList<>(model.items().size());
        for (StudyModel.Item item : model.items()) {
            int[] counts = new int[categories.length];
            forEachValue(item, metric, kind, v -> counts[category[v - Short.MIN_VALUE]]++);
            units.add(counts);
        }
        Krippendorff.Result ordinal = Krippendorff.alpha(categories, units, Krippendorff.Level.ORDINAL);
        Krippendorff.Result interval = Krippendorff.alpha(categories, units, Krippendorff.Level.INTERVAL);
        Krippendorff.Result nominal = Krippendorff.alpha(categories, units, Krippendorff.Level.NOMINAL);
        return new Agreement(key, Estimate.finite(ordinal.alpha()), Estimate.finite(interval.alpha()),
                Estimate.finite(nominal.alpha()), ordinal.units(), ordinal.pairableValues());
    }

    /** Receives a score. */
    private interface ScoreConsumer {
        void accept(short score);
    }

    /** The item's non-gold scores on a metric, of the kind (null: every kind). */
    private static void forEachValue(StudyModel.Item item, int metric, Byte kind, ScoreConsumer action) {
        for (int r = 0; r < item.size(); r++) {
            if (item.has(r, RatingValues.GOLD) || (kind != null && item.raterKind(r) != kind)) {
                continue;
            }
            short score = item.score(r, metric);
            if (score != StudyModel.Item.MISSING) {
                action.accept(score);
            }
        }
    }
}
