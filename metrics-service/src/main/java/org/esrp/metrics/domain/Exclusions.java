package org.esrp.metrics.domain;

import java.util.BitSet;

/**
 * The ratings a study's quality policy leaves out: those flagged TOO_FAST (when the policy says so) and every rating of
 * an excluded rater (by index of {@link StudyModel#raterIds()}). Immutable; {@link #NONE} leaves nothing out.
 */
public final class Exclusions {

    public static final Exclusions NONE = new Exclusions(false, new BitSet());

    private final boolean tooFast;
    private final BitSet raters;

    public Exclusions(boolean tooFast, BitSet raters) {
        this.tooFast = tooFast;
        this.raters = (BitSet) raters.clone();
    }

    public boolean excludes(StudyModel.Item item, int rating) {
        return (tooFast && item.has(rating, RatingValues.TOO_FAST)) || raters.get(item.rater(rating));
    }

    /** Whether any rating of the item is left out (most items: none, and their running sums hold). */
    public boolean touches(StudyModel.Item item) {
        if (this == NONE) {
            return false;
        }
        for (int r = 0; r < item.size(); r++) {
            if (excludes(item, r)) {
                return true;
            }
        }
        return false;
    }

    public int excludedRaters() {
        return raters.cardinality();
    }

    public boolean isExcluded(int rater) {
        return raters.get(rater);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Exclusions other && tooFast == other.tooFast && raters.equals(other.raters);
    }

    @Override
    public int hashCode() {
        return raters.hashCode() * 2 + (tooFast ? 1 : 0);
    }
}
