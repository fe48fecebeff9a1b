package org.esrp.metrics.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.events.RubricMetric;
import org.esrp.metrics.domain.Estimate;
import org.esrp.metrics.domain.RatingValues;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.stats.Krippendorff;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

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
        TreeSet<Short> distinct = new TreeSet<>();
        for (StudyModel.Item item : model.items()) {
            forEachValue(item, metric, kind, distinct::add);
        }
        double[] categories = distinct.stream().mapToDouble(Short::doubleValue).toArray();
        short[] values = new short[categories.length];
        int i = 0;
        for (short v : distinct) {
            values[i++] = v;
        }
        List<int[]> units = new ArrayList<>();
        for (StudyModel.Item item : model.items()) {
            int[] counts = new int[categories.length];
            forEachValue(item, metric, kind, v -> counts[java.util.Arrays.binarySearch(values, v)]++);
            units.add(counts);
        }
        Krippendorff.Result ordinal = Krippendorff.alpha(categories, units, Krippendorff.Level.ORDINAL);
        Krippendorff.Result interval = Krippendorff.alpha(categories, units, Krippendorff.Level.INTERVAL);
        Krippendorff.Result nominal = Krippendorff.alpha(categories, units, Krippendorff.Level.NOMINAL);
        return new Agreement(key, Estimate.finite(ordinal.alpha()), Estimate.finite(interval.alpha()),
                Estimate.finite(nominal.alpha()), ordinal.units(), ordinal.pairableValues());
    }

    /** The item's non-gold scores on a metric, of the kind (null: every kind). */
    private static void forEachValue(StudyModel.Item item, int metric, Byte kind, java.util.function.Consumer<Short> action) {
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
