package org.esrp.metrics.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.events.RubricMetric;
import org.esrp.metrics.domain.Estimate;
import org.esrp.metrics.domain.Exclusions;
import org.esrp.metrics.domain.RatingValues;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.stats.Krippendorff;

import java.util.ArrayList;
import java.util.Arrays;
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

    /** How often each value was given to one item on one metric, by the raters counted: copied out of the model. */
    private record Tally(short[] values, int[] counts) {
    }

    /** Items per hold of the model's lock: a few milliseconds of copying at 11 metrics. */
    private static final int CHUNK = 128;

    /**
     * @param raterKind null for every kind
     * @param quality whether the study's quality policy applies
     */
    public List<Agreement> agreement(StudyModel model, String raterKind, boolean quality) {
        Byte kind = RaterKinds.code(raterKind);
        byte[] kinds = kind == null ? new byte[]{RatingValues.HUMAN, RatingValues.LLM_JUDGE} : new byte[]{kind};
        record Start(List<RubricMetric> rubric, int[] metrics, List<StudyModel.Item> items) {
        }
        Start start = model.read(m -> {
            List<RubricMetric> all = new ArrayList<>(m.rubric());
            all.addAll(m.diversityRubric());
            return new Start(all, all.stream().mapToInt(metric -> m.metricIndexOf(metric.key())).toArray(), new ArrayList<>(m.items()));
        });
        // the items' tallies are copied a chunk per hold of the model's lock, and counted into units outside it
        List<List<Tally>> tallies = new ArrayList<>();
        start.rubric().forEach(metric -> tallies.add(new ArrayList<>(start.items().size())));
        model.readInChunks(start.items(), CHUNK, (m, chunk) -> {
            Exclusions exclusions = m.exclusions(quality);
            for (StudyModel.Item item : chunk) {
                for (int i = 0; i < start.metrics().length; i++) {
                    Tally tally = tally(item, start.metrics()[i], kinds, kind, exclusions);
                    if (tally != null) {
                        tallies.get(i).add(tally);
                    }
                }
            }
        });
        List<Agreement> rows = new ArrayList<>();
        for (int i = 0; i < start.rubric().size(); i++) {
            Units units = units(start.rubric().get(i).key(), tallies.get(i));
            Krippendorff.Result ordinal = Krippendorff.alpha(units.categories(), units.counts(), Krippendorff.Level.ORDINAL);
            Krippendorff.Result interval = Krippendorff.alpha(units.categories(), units.counts(), Krippendorff.Level.INTERVAL);
            Krippendorff.Result nominal = Krippendorff.alpha(units.categories(), units.counts(), Krippendorff.Level.NOMINAL);
            rows.add(new Agreement(units.metric(), Estimate.finite(ordinal.alpha()), Estimate.finite(interval.alpha()),
                    Estimate.finite(nominal.alpha()), ordinal.units(), ordinal.pairableValues()));
        }
        return rows;
    }

    /**
     * An item's values on a metric and how often each was given, from the tallies it keeps per rater kind (nothing here
     * reads its ratings one by one, but those the quality policy leaves out); null when it has none.
     */
    private static Tally tally(StudyModel.Item item, int metric, byte[] kinds, Byte kind, Exclusions exclusions) {
        short[] values = null;
        int[] counts = null;
        int n = 0;
        for (byte k : kinds) {
            short[] given = item.values(k, metric);
            int[] times = item.tallies(k, metric);
            for (int v = 0; v < given.length; v++) {
                if (values == null) {
                    values = new short[given.length + 1];
                    counts = new int[given.length + 1];
                }
                int at = indexOf(values, n, given[v]);
                if (at < 0) {
                    if (n == values.length) {
                        values = Arrays.copyOf(values, 2 * n);
                        counts = Arrays.copyOf(counts, 2 * n);
                    }
                    values[n] = given[v];
                    at = n++;
                }
                counts[at] += times[v];
            }
        }
        if (values == null) {
            return null;
        }
        if (exclusions.touches(item)) {
            // the item's tallies count every non-gold rating: take out those the policy leaves out
            for (int r = 0; r < item.size(); r++) {
                short value = item.score(r, metric);
                if (value != StudyModel.Item.MISSING && !item.has(r, RatingValues.GOLD)
                        && (kind == null || item.raterKind(r) == kind) && exclusions.excludes(item, r)) {
                    counts[indexOf(values, n, value)]--;
                }
            }
        }
        return new Tally(Arrays.copyOf(values, n), Arrays.copyOf(counts, n));
    }

    private static int indexOf(short[] values, int n, short value) {
        for (int i = 0; i < n; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** The categories are every value given on the metric; each item (unit) is counted into them. */
    private static Units units(String key, List<Tally> tallies) {
        BitSet seen = new BitSet(1 << 16);
        for (Tally tally : tallies) {
            for (short value : tally.values()) {
                seen.set(value - Short.MIN_VALUE);
            }
        }
        int[] category = new int[1 << 16];
        double[] categories = new double[seen.cardinality()];
        int c = 0;
        for (int bit = seen.nextSetBit(0); bit >= 0; bit = seen.nextSetBit(bit + 1)) {
            category[bit] = c;
            categories[c++] = bit + Short.MIN_VALUE;
        }
        List<int[]> units = new ArrayList<>(tallies.size());
        for (Tally tally : tallies) {
            int[] counts = new int[categories.length];
            for (int v = 0; v < tally.values().length; v++) {
                counts[category[tally.values()[v] - Short.MIN_VALUE]] += tally.counts()[v];
            }
            units.add(counts);
        }
        return new Units(key, categories, units);
    }
}
