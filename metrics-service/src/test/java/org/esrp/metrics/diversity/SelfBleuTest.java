package org.esrp.metrics.diversity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

// Expected values are worked out by hand in the comments, not taken from the code under test.
class SelfBleuTest {

    private static final double EPS = 1e-9;

    @Test
    void identicalTextsScoreOne() {
        // every clipped precision is 1 and every length equals its reference's, so BP = 1
        assertEquals(1.0, SelfBleu.selfBleu(List.of("abcde", "abcde"), 4), EPS);
        assertEquals(1.0, SelfBleu.selfBleu(List.of("你好，朋友！", "你好，朋友！", "你好，朋友！"), 4), EPS);
    }

    @Test
    void handComputedBleu2OnTwoTexts() {
        // hypothesis "abcd", reference "abd"
        //   unigrams a b c d against a b d: clipped matches a b d = 3 of 4 -> p1 = 3/4
        //   bigrams ab bc cd against ab bd: ab = 1 of 3             -> p2 = 1/3
        //   c = 4 > r = 3                                          -> BP = 1
        //   BLEU = 1 * sqrt(3/4 * 1/3) = sqrt(1/4) = 0.5
        // hypothesis "abd", reference "abcd"
        //   unigrams a b d: all in the reference                   -> p1 = 3/3 = 1
        //   bigrams ab bd against ab bc cd: ab = 1 of 2            -> p2 = 1/2
        //   c = 3 < r = 4                                          -> BP = exp(1 - 4/3) = exp(-1/3)
        //   BLEU = exp(-1/3) * sqrt(1 * 1/2) = 0.7165313... * 0.7071068... = 0.5066641...
        // self-BLEU = (0.5 + exp(-1/3) / sqrt(2)) / 2 = 0.5033321...
        double expected = (0.5 + Math.exp(-1.0 / 3) / Math.sqrt(2)) / 2;
        assertEquals(0.5033321, expected, 1e-7);
        assertEquals(expected, SelfBleu.selfBleu(List.of("abcd", "abd"), 2), EPS);
    }

    @Test
    void clippingTakesTheLargestCountOverTheOtherTexts() {
        // hypothesis "aaaa" (c = 4), references "aa" and "a"
        //   unigram a x4, largest reference count 2 ("aa")  -> p1 = 2/4
        //   bigram aa x3, largest reference count 1 ("aa")  -> p2 = 1/3
        //   closest reference length 2, c > r               -> BP = 1
        //   BLEU = sqrt(1/2 * 1/3) = sqrt(1/6)
        // hypothesis "aa" (c = 2), references "aaaa" and "a"
        //   unigram a x2, largest reference count 4         -> p1 = 1
        //   bigram aa x1, largest reference count 3         -> p2 = 1
        //   |4 - 2| = 2, |1 - 2| = 1: r = 1, c > r          -> BP = 1
        //   BLEU = 1
        // hypothesis "a" (c = 1), references "aaaa" and "aa"
        //   unigram a x1                                    -> p1 = 1
        //   no bigram: numerator 0 over denominator 1, smoothed -> p2 = 0.1 / 1
        //   closest reference length 2                      -> BP = exp(1 - 2/1) = exp(-1)
        //   BLEU = exp(-1) * sqrt(1 * 0.1)
        double expected = (Math.sqrt(1.0 / 6) + 1 + Math.exp(-1) * Math.sqrt(0.1)) / 3;
        assertEquals(expected, SelfBleu.selfBleu(List.of("aaaa", "aa", "a"), 2), EPS);
    }

    @Test
    void closestReferenceLengthTieGoesToTheShorter() {
        // BLEU-1 throughout
        // "abc" (c = 3) against "ab", "abcd": a b c all matched -> p1 = 1; lengths 2 and 4 are both 1
        //   away, the shorter (2) wins, c > r -> BP = 1 (the longer would give exp(1 - 4/3)); BLEU = 1
        // "ab" (c = 2) against "abc", "abcd": p1 = 1; r = 3 -> BP = exp(1 - 3/2); BLEU = exp(-1/2)
        // "abcd" (c = 4) against "abc", "ab": d unmatched -> p1 = 3/4; r = 3 -> BP = 1; BLEU = 3/4
        double expected = (1 + Math.exp(-0.5) + 0.75) / 3;
        assertEquals(expected, SelfBleu.selfBleu(List.of("abc", "ab", "abcd"), 1), EPS);
    }

    @Test
    void textsWithNoSharedCharacterScoreSmallButNotZero() {
        // hypothesis "ab", reference "cd" (and the mirror case, which scores the same)
        //   unigrams: 0 of 2, smoothed -> p1 = 0.1 / 2 = 0.05
        //   bigrams:  0 of 1, smoothed -> p2 = 0.1 / 1 = 0.1
        //   c = r = 2 -> BP = exp(1 - 2/2) = 1
        //   BLEU = sqrt(0.05 * 0.1) = sqrt(0.005) = 0.0707106...
        assertEquals(Math.sqrt(0.005), SelfBleu.selfBleu(List.of("ab", "cd"), 2), EPS);

        // BLEU-4 on "你好" and "再见": p1 = 0.1/2; p2 = 0.1/1; no trigram or 4-gram, so p3 = p4 = 0.1/1;
        // BP = 1; BLEU = (0.05 * 0.1^3)^(1/4) = (5e-5)^(1/4) = 0.0840896...
        assertEquals(Math.pow(5e-5, 0.25), SelfBleu.selfBleu(List.of("你好", "再见"), 4), EPS);
    }

    @Test
    void emptyHypothesisScoresZero() {
        // "" against "abc": BP = 0 -> BLEU 0
        // "abc" against "": p1 = 0 of 3, smoothed -> 0.1/3; c = 3 > r = 0 -> BP = 1; BLEU = 0.1/3
        // self-BLEU = (0 + 0.1/3) / 2 = 1/60
        assertEquals(1.0 / 60, SelfBleu.selfBleu(List.of("", "abc"), 1), EPS);
    }

    @Test
    void unitsAreCodePoints() {
        // "𠀀𠀁" against "𠀀𠀂" (U+20000, U+20001, U+20002; each one code point, two chars)
        //   p1 = 1/2 (𠀀 matches), c = r = 2 -> BP = 1, BLEU-1 = 1/2 for both hypotheses.
        // Counted in chars the shared high surrogate would give p1 = 3/4 and c = 4.
        assertEquals(0.5, SelfBleu.selfBleu(List.of("\uD840\uDC00\uD840\uDC01", "\uD840\uDC00\uD840\uDC02"), 1), EPS);
    }

    @Test
    void fewerThanTwoTextsGiveNaN() {
        assertTrue(Double.isNaN(SelfBleu.selfBleu(List.of(), 4)));
        assertTrue(Double.isNaN(SelfBleu.selfBleu(List.of("你好"), 4)));
    }

    @Test
    void rejectsOrderBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> SelfBleu.selfBleu(List.of("a", "b"), 0));
    }

    /**
     * The implementation finds the largest count over the other texts from the top two counts per
     * n-gram. Check it against the direct definition (loop over every reference) on random texts over
     * a small alphabet, where repeated n-grams and tied counts are common.
     */
    @Test
    void agreesWithDirectDefinitionOnRandomTexts() {
        Random random = new Random(20250806);
        String alphabet = "你好我的是了";
        for (int round = 0; round < 200; round++) {
            int k = 2 + random.nextInt(6);
            List<String> texts = new ArrayList<>();
            for (int t = 0; t < k; t++) {
                StringBuilder sb = new StringBuilder();
                int length = random.nextInt(12);
                for (int i = 0; i < length; i++) {
                    sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                texts.add(sb.toString());
            }
            int maxN = 1 + random.nextInt(4);
            assertEquals(directSelfBleu(texts, maxN), SelfBleu.selfBleu(texts, maxN), EPS, texts + " maxN=" + maxN);
        }
    }

    private static double directSelfBleu(List<String> texts, int maxN) {
        double sum = 0;
        for (int h = 0; h < texts.size(); h++) {
            String hyp = texts.get(h);
            int c = hyp.length(); // the alphabet above is all BMP, so chars are code points
            Integer r = null;
            for (int j = 0; j < texts.size(); j++) {
                if (j == h) {
                    continue;
                }
                int len = texts.get(j).length();
                if (r == null || Math.abs(len - c) < Math.abs(r - c) || (Math.abs(len - c) == Math.abs(r - c) && len < r)) {
                    r = len;
                }
            }
            if (c == 0) {
                continue; // BP = 0
            }
            double bp = c > r ? 1 : Math.exp(1 - (double) r / c);
            double logSum = 0;
            for (int n = 1; n <= maxN; n++) {
                Map<String, Integer> hypCounts = grams(hyp, n);
                int matched = 0;
                for (Map.Entry<String, Integer> e : hypCounts.entrySet()) {
                    int maxRef = 0;
                    for (int j = 0; j < texts.size(); j++) {
                        if (j != h) {
                            maxRef = Math.max(maxRef, grams(texts.get(j), n).getOrDefault(e.getKey(), 0));
                        }
                    }
                    matched += Math.min(e.getValue(), maxRef);
                }
                int denominator = Math.max(1, c - n + 1);
                logSum += Math.log(matched == 0 ? 0.1 / denominator : (double) matched / denominator);
            }
            sum += bp * Math.exp(logSum / maxN);
        }
        return sum / texts.size();
    }

    private static Map<String, Integer> grams(String s, int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= s.length(); i++) {
            counts.merge(s.substring(i, i + n), 1, Integer::sum);
        }
        return counts;
    }
}
