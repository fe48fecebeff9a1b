package org.esrp.metrics.diversity;

import java.util.Arrays;

/**
 * An n-gram of code points, held as a window onto its text's code-point array.
 *
 * <p>A window rather than a substring: no String is built per n-gram, and equality is code point by
 * code point, so two keys are equal exactly when their code points are, whatever UTF-16 surrogates the
 * texts contain.
 */
final class CodePointGram {

    private final int[] codePoints;
    private final int from;
    private final int length;
    private final int hash;

    CodePointGram(int[] codePoints, int from, int length) {
        this.codePoints = codePoints;
        this.from = from;
        this.length = length;
        int h = 1;
        for (int i = from; i < from + length; i++) {
            h = 31 * h + codePoints[i];
        }
        this.hash = h;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CodePointGram)) {
            return false;
        }
        CodePointGram other = (CodePointGram) o;
        return hash == other.hash
                && Arrays.equals(codePoints, from, from + length,
                        other.codePoints, other.from, other.from + other.length);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
