package org.esrp.metrics.diversity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

// Expected values are counted by hand in the comments, not taken from the code under test.
class DistinctNTest {

    private static final double EPS = 1e-12;

    @Test
    void latinStrings() {
        List<String> texts = List.of("abab", "abc");
        // unigrams a b a b | a b c: 7 in all, unique {a, b, c}
        assertEquals(3.0 / 7, DistinctN.distinct(texts, 1), EPS);
        // bigrams ab ba ab | ab bc: 5 in all, unique {ab, ba, bc}
        assertEquals(3.0 / 5, DistinctN.distinct(texts, 2), EPS);
    }

    @Test
    void prefixesCountTheNGramsEndingWithinEachPrefix() {
        // code points a b c a b | c d: prefixes of 2, 4 and 6 (7 is not a multiple of 2)
        DistinctN.Prefixes unigrams = DistinctN.prefixes(List.of("abcab", "cd"), 1, 2);
        assertEquals(3, unigrams.points());
        assertEquals(2.0 / 2, unigrams.at(0), EPS);  // a b
        assertEquals(3.0 / 4, unigrams.at(1), EPS);  // a b c a
        assertEquals(3.0 / 6, unigrams.at(2), EPS);  // a b c a b | c
        // bigrams ab bc ca ab within the first text, cd within the second, which ends at code point 7
        DistinctN.Prefixes bigrams = DistinctN.prefixes(List.of("abcab", "cd"), 2, 2);
        assertEquals(1.0 / 1, bigrams.at(0), EPS);   // ab
        assertEquals(3.0 / 3, bigrams.at(1), EPS);   // ab bc ca
        assertEquals(3.0 / 4, bigrams.at(2), EPS);   // ab bc ca ab
    }

    @Test
    void chineseStrings() {
        List<String> texts = List.of("你好你好", "你好吗");
        // unigrams 你 好 你 好 | 你 好 吗: 7, unique {你, 好, 吗}
        assertEquals(3.0 / 7, DistinctN.distinct(texts, 1), EPS);
        // bigrams 你好 好你 你好 | 你好 好吗: 5, unique {你好, 好你, 好吗}
        assertEquals(3.0 / 5, DistinctN.distinct(texts, 2), EPS);
        // trigrams 你好你 好你好 | 你好吗: 3, all different
        assertEquals(1.0, DistinctN.distinct(texts, 3), EPS);
    }

    @Test
    void chinesePunctuationAndSpacesAreUnits() {
        List<String> texts = List.of("好，好！ 好");
        // unigrams 好 ， 好 ！ space 好: 6, unique {好, ，, ！, space}
        assertEquals(4.0 / 6, DistinctN.distinct(texts, 1), EPS);
        // bigrams 好， ，好 好！ ！space space好: 5, all different
        assertEquals(1.0, DistinctN.distinct(texts, 2), EPS);
    }

    @Test
    void nGramsDoNotCrossTextBoundaries() {
        // bigrams ab | ab: 2, unique {ab}. Joined as "abab" there would be a third bigram, "ba".
        assertEquals(1.0 / 2, DistinctN.distinct(List.of("ab", "ab"), 2), EPS);
    }

    @Test
    void textShorterThanNContributesNothing() {
        // "a" has no bigram; "abc" has ab bc: 2, unique 2
        assertEquals(1.0, DistinctN.distinct(List.of("a", "abc"), 2), EPS);
        // "你" has no bigram; "你你你" has 你你 你你: 2, unique 1
        assertEquals(1.0 / 2, DistinctN.distinct(List.of("你", "你你你"), 2), EPS);
    }

    @Test
    void noNGramGivesNaN() {
        assertTrue(Double.isNaN(DistinctN.distinct(List.of(), 1)));
        assertTrue(Double.isNaN(DistinctN.distinct(List.of("", ""), 1)));
        assertTrue(Double.isNaN(DistinctN.distinct(List.of("ab", "你"), 3)));
    }

    @Test
    void unitsAreCodePointsNotUtf16Chars() {
        // U+20000 (𠀀) is one code point but two chars. Code points 𠀀 𠀀 a: 3, unique 2.
        // Counted in chars (hi lo hi lo a) it would be 3 unique of 5.
        List<String> texts = List.of("\uD840\uDC00\uD840\uDC00a");
        assertEquals(2.0 / 3, DistinctN.distinct(texts, 1), EPS);
        // bigrams 𠀀𠀀 𠀀a: 2, unique 2
        assertEquals(1.0, DistinctN.distinct(texts, 2), EPS);
    }

    @Test
    void textIsNotNormalised() {
        // precomposed é (U+00E9) against e + combining acute (U+0301): units é | e ◌́, all 3 different
        assertEquals(1.0, DistinctN.distinct(List.of("\u00E9", "e\u0301"), 1), EPS);
        // full-width and ASCII tilde, upper and lower case: 4 units, all different
        assertEquals(1.0, DistinctN.distinct(List.of("～~", "Aa"), 1), EPS);
    }

    @Test
    void rejectsOrderBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> DistinctN.distinct(List.of("abc"), 0));
    }
}
