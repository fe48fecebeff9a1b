package org.esrp.metrics.diversity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Self-BLEU (Zhu et al. 2018, Texygen): how much each text of a set resembles the rest of it.
 *
 * <p>Character level, for the reasons given on {@link DistinctN}. The BLEU computation follows NLTK's
 * {@code sentence_bleu}, which Texygen calls, with one deliberate difference noted in
 * {@link #selfBleu(List, int)}.
 */
public final class SelfBleu {

    /** Chen &amp; Cherry 2014, smoothing method 1, with NLTK's default epsilon. */
    private static final double EPSILON = 0.1;

    private SelfBleu() {
    }

    /**
     * Character-level self-BLEU (Zhu et al. 2018, Texygen): each text in turn is the hypothesis and
     * all OTHER texts are its references; BLEU-N with uniform weights over 1..maxN, clipped (modified)
     * n-gram precision against the max count over references, brevity penalty with the closest
     * reference length, and smoothing method 1 of Chen &amp; Cherry 2014 (epsilon 0.1 added to zero
     * numerators) so short texts do not give 0; the score is the mean over hypotheses. Units are code
     * points. Fewer than 2 texts -> NaN. Higher = more alike = less diverse.
     *
     * <p>Ties for the closest reference length go to the shorter reference, and an empty hypothesis
     * scores 0, both as in NLTK. An order with no n-gram in the hypothesis (a text shorter than that
     * order) counts as a zero numerator over a denominator of 1, so it contributes epsilon, again as in
     * NLTK.
     *
     * @param texts the texts; none may be null
     * @param maxN the highest n-gram order, at least 1
     * @return the mean BLEU in [0, 1], or NaN for fewer than 2 texts
     * @throws IllegalArgumentException if maxN &lt; 1
     */
    public static double selfBleu(List<String> texts, int maxN) {
        Objects.requireNonNull(texts, "texts");
        if (maxN < 1) {
            throw new IllegalArgumentException("maxN must be at least 1, was " + maxN);
        }
        int k = texts.size();
        if (k < 2) {
            return Double.NaN;
        }

        int[] lengths = new int[k];
        // counts.get(t).get(n - 1): n-gram counts of text t
        List<List<Map<CodePointGram, Integer>>> counts = new ArrayList<>(k);
        // Looking each hypothesis n-gram up in every other text would cost k look-ups per n-gram, k^2
        // per set for each n-gram position. The clipping only needs the largest count among the OTHER
        // texts, which is the overall largest unless the hypothesis itself holds it, and then the
        // runner-up; so the top two counts per n-gram make the whole set cost O(total n-grams).
        List<Map<CodePointGram, TopTwo>> topTwo = new ArrayList<>(maxN);
        for (int n = 1; n <= maxN; n++) {
            topTwo.add(new HashMap<>());
        }
        for (int t = 0; t < k; t++) {
            int[] codePoints = Objects.requireNonNull(texts.get(t), "texts must not contain null")
                    .codePoints().toArray();
            lengths[t] = codePoints.length;
            List<Map<CodePointGram, Integer>> byOrder = new ArrayList<>(maxN);
            for (int n = 1; n <= maxN; n++) {
                Map<CodePointGram, Integer> grams = new HashMap<>();
                for (int i = 0; i + n <= codePoints.length; i++) {
                    grams.merge(new CodePointGram(codePoints, i, n), 1, Integer::sum);
                }
                byOrder.add(grams);
                Map<CodePointGram, TopTwo> top = topTwo.get(n - 1);
                for (Map.Entry<CodePointGram, Integer> e : grams.entrySet()) {
                    top.computeIfAbsent(e.getKey(), g -> new TopTwo()).offer(t, e.getValue());
                }
            }
            counts.add(byOrder);
        }

        double sum = 0;
        for (int h = 0; h < k; h++) {
            sum += bleu(h, counts.get(h), topTwo, lengths, maxN);
        }
        return sum / k;
    }

    private static double bleu(int h, List<Map<CodePointGram, Integer>> hypothesis,
            List<Map<CodePointGram, TopTwo>> topTwo, int[] lengths, int maxN) {
        double brevity = brevityPenalty(lengths[h], closestReferenceLength(h, lengths));
        if (brevity == 0) {
            return 0;
        }
        double logSum = 0;
        for (int n = 1; n <= maxN; n++) {
            Map<CodePointGram, TopTwo> top = topTwo.get(n - 1);
            long matched = 0;
            for (Map.Entry<CodePointGram, Integer> e : hypothesis.get(n - 1).entrySet()) {
                matched += Math.min(e.getValue(), top.get(e.getKey()).maxExcluding(h));
            }
            int denominator = Math.max(1, lengths[h] - n + 1);
            // NLTK's corpus_bleu, which Texygen calls, returns 0 before smoothing when no unigram
            // matches. Here smoothing applies to every order alike, so a text sharing no character
            // with the others gets a small positive score like any other near-miss, not a special case.
            double precision = matched == 0 ? EPSILON / denominator : (double) matched / denominator;
            logSum += Math.log(precision);
        }
        return brevity * Math.exp(logSum / maxN);
    }

    private static int closestReferenceLength(int h, int[] lengths) {
        int best = -1;
        for (int r = 0; r < lengths.length; r++) {
            if (r == h) {
                continue;
            }
            if (best < 0) {
                best = lengths[r];
                continue;
            }
            int distance = Math.abs(lengths[r] - lengths[h]);
            int bestDistance = Math.abs(best - lengths[h]);
            if (distance < bestDistance || (distance == bestDistance && lengths[r] < best)) {
                best = lengths[r];
            }
        }
        return best;
    }

    private static double brevityPenalty(int hypothesisLength, int referenceLength) {
        if (hypothesisLength > referenceLength) {
            return 1;
        }
        if (hypothesisLength == 0) {
            return 0;
        }
        return Math.exp(1 - (double) referenceLength / hypothesisLength);
    }

    /** The two largest counts of one n-gram over distinct texts, and which text holds the largest. */
    private static final class TopTwo {
        private int best;
        private int bestText = -1;
        private int second;

        void offer(int text, int count) {
            if (count > best) {
                second = best;
                best = count;
                bestText = text;
            } else if (count > second) {
                second = count;
            }
        }

        int maxExcluding(int text) {
            return text == bestText ? second : best;
        }
    }
}
