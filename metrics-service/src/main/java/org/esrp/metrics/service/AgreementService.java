package org.esrp.metrics.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.events.RubricMetric;
import org.esrp.metrics.domain.Estimate;
import org.esrp.metrics.domain.Exclusions;
import org.esrp.metrics.domain.RatingValues;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.stats.Krippendorff;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** Inter-rater agreement per metric of the study's rubric: Krippendorff's alpha over the items rated two or more times. */
@ApplicationScoped
public class AgreementService {

    public record Agreement(String metric, Double ordinal, Double interval, Double nominal, int items, int pairableValues) {
    }

    /** A metric's values as Krippendorff's alpha takes them: the categories, and per unit the count in each. */
    private record Units(String metric, double[] categories, List<int[]> counts) {
    }

    /**
     * @param raterKind null for every kind
     * @param quality whether the study's quality policy applies
     */
    public List<Agreement> agreement(StudyModel model, String raterKind, boolean quality) {
        Byte kind = RaterKinds.code(raterKind);
        List<RubricMetric> rubric = model.read(m -> {
            List<RubricMetric> all = new ArrayList<>(m.rubric());
            all.addAll(m.diversityRubric());
            return all;
        });
        // The counts are taken one metric per hold of the model's lock, and the alphas outside it: the stream thread
        // waits for one metric's pass over the items at most, not for all of them (a pass over 15,000 items takes tens
        // of milliseconds, and every rating in the meantime waits with it). The view is computed again after any change, so
        // metrics counted a few ratings apart are soon replaced.
        List<Units> metrics = new ArrayList<>();
        for (RubricMetric metric : rubric) {
            metrics.add(model.read(m -> units(m, metric.key(), kind, m.exclusions(quality))));
            StudyModel.letWritersIn();
        }
        List<Agreement> rows = new ArrayList<>();
        for (Units units : metrics) {
            Krippendorff.Result ordinal = Krippendorff.alpha(units.categories(), units.counts(), Krippendorff.Level.ORDINAL);
            Krippendorff.Result interval = Krippendorff.alpha(units.categories(), units.counts(), Krippendorff.Level.INTERVAL);
            Krippendorff.Result nominal = Krippendorff.alpha(units.categories(), units.counts(), Krippendorff.Level.NOMINAL);
            rows.add(new Agreement(units.metric(), Estimate.finite(ordinal.alpha()), Estimate.finite(interval.alpha()),
                    Estimate.finite(nominal.alpha()), ordinal.units(), ordinal.pairableValues()));
        }
        return rows;
    }

    private static Units units(StudyModel model, String key, Byte kind, Exclusions exclusions) {
        int metric = model.metricIndexOf(key);
        byte[] kinds = kind == null ? new byte[]{RatingValues.HUMAN, RatingValues.LLM_JUDGE} : new byte[]{kind};
        // Each item keeps how often each score was given on each metric: the categories are every score seen, and each
        // item (unit) is counted into them; nothing here reads the ratings one by one.
        BitSet seen = new BitSet(1 << 16);
        for (StudyModel.Item item : model.items()) {
            for (byte k : kinds) {
                for (short value : item.values(k, metric)) {
                    seen.set(value - Short.MIN_VALUE);
                }
            }
        }
        int[] category = new int[1 << 16];
        double[] categories = new double[seen.cardinality()];
        int c = 0;
        for (int bit = seen.nextSetBit(0); bit >= 0; bit = seen.nextSetBit(bit + 1)) {
            category[bit] = c;
            categories[c++] = bit + Short.MIN_VALUE;
        }
        List<int[]> units = new ArrayList<>(model.items().size());
        for (StudyModel.Item item : model.items()) {
            int[] counts = null;
            for (byte k : kinds) {
                short[] given = item.values(k, metric);
                int[] tallies = item.tallies(k, metric);
                for (int v = 0; v < given.length; v++) {
                    if (counts == null) {
                        counts = new int[categories.length];
                    }
                    counts[category[given[v] - Short.MIN_VALUE]] += tallies[v];
                }
            }
            if (counts != null && exclusions.touches(item)) {
                // the item's tallies count every non-gold rating: take out those the policy leaves out
                for (int r = 0; r < item.size(); r++) {
                    short value = item.score(r, metric);
                    if (value != StudyModel.Item.MISSING && !item.has(r, RatingValues.GOLD)
                            && (kind == null || item.raterKind(r) == kind) && exclusions.excludes(item, r)) {
                        counts[category[value - Short.MIN_VALUE]]--;
                    }
                }
            }
            if (counts != null) {
                units.add(counts);
            }
        }
        return new Units(key, categories, units);
    }
}
