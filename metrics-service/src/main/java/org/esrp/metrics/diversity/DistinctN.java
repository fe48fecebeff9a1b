package org.esrp.metrics.diversity;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Distinct-n (Li et al. 2016): the share of n-grams in a set of texts that are unique.
 *
 * <p>Units are code points, not words: the texts are Chinese, which has no spaces to split on, and a
 * word segmenter would make the score depend on the segmenter. Nothing is normalised, so the score
 * describes the texts exactly as the responder wrote them.
 */
public final class DistinctN {

    private DistinctN() {
    }

    /**
     * Unique n-grams / total n-grams over the Unicode code points of the texts as given (no
     * normalisation, no tokenisation: each code point is a unit, whitespace and punctuation
     * included). n-grams do not cross text boundaries; a text shorter than n contributes none.
     * 0 total -> NaN.
     *
     * @param texts the texts; none may be null
     * @param n the n-gram order, at least 1
     * @return the ratio in (0, 1], or NaN when the texts hold no n-gram
     * @throws IllegalArgumentException if n &lt; 1
     */
    public static double distinct(List<String> texts, int n) {
        Objects.requireNonNull(texts, "texts");
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, was " + n);
        }
        Set<CodePointGram> unique = new HashSet<>();
        long total = 0;
        for (String text : texts) {
            int[] codePoints = Objects.requireNonNull(text, "texts must not contain null").codePoints().toArray();
            for (int i = 0; i + n <= codePoints.length; i++) {
                unique.add(new CodePointGram(codePoints, i, n));
                total++;
            }
        }
        // NaN rather than 0 or 1: with no n-gram there is nothing to be diverse or repetitive about,
        // and a number would be averaged into a responder's score unnoticed.
        return total == 0 ? Double.NaN : (double) unique.size() / total;
    }

    /**
     * Distinct-n of every prefix of the texts' code points (the texts concatenated in the order given; n-grams still do
     * not cross text boundaries) whose length is a multiple of {@code step}: {@code unique[k]} and {@code total[k]} are
     * the unique and all n-grams that end within the first {@code (k + 1) * step} code points. Cutting every responder
     * to the same prefix length compares their distinct-n at equal length.
     */
    public static Prefixes prefixes(List<String> texts, int n, int step) {
        Objects.requireNonNull(texts, "texts");
        if (n < 1 || step < 1) {
            throw new IllegalArgumentException("n and step must be at least 1");
        }
        long length = texts.stream().mapToLong(t -> t.codePointCount(0, t.length())).sum();
        int points = (int) (length / step);
        int[] unique = new int[points];
        int[] total = new int[points];
        Set<CodePointGram> seen = new HashSet<>();
        int grams = 0;
        long offset = 0;
        int next = 0;
        for (String text : texts) {
            int[] codePoints = text.codePoints().toArray();
            for (int end = 0; end < codePoints.length && next < points; end++) {
                if (end + 1 >= n) {
                    seen.add(new CodePointGram(codePoints, end + 1 - n, n));
                    grams++;
                }
                if (offset + end + 1 == (long) (next + 1) * step) {
                    unique[next] = seen.size();
                    total[next] = grams;
                    next++;
                }
            }
            offset += codePoints.length;
        }
        return new Prefixes(step, unique, total);
    }

    /** Unique and all n-grams of the prefixes of {@code step}, {@code 2 * step}, ... code points. */
    public record Prefixes(int step, int[] unique, int[] total) {

        /** Distinct-n of the first {@code (k + 1) * step} code points; NaN where they hold no n-gram. */
        public double at(int k) {
            return total[k] == 0 ? Double.NaN : (double) unique[k] / total[k];
        }

        public int points() {
            return unique.length;
        }
    }
}
