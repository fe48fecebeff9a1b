package org.esrp.metrics.service;

import org.esrp.metrics.domain.RatingValues;

import java.util.List;

/** The rater kinds of esrp.ratings, and their codes in the stored ratings. */
public final class RaterKinds {

    public static final List<String> ALL = List.of("HUMAN", "LLM_JUDGE");

    private RaterKinds() {
    }

    /** null (every kind) for null. */
    static Byte code(String kind) {
        if (kind == null) {
            return null;
        }
        return "LLM_JUDGE".equals(kind) ? RatingValues.LLM_JUDGE : RatingValues.HUMAN;
    }

    static String name(byte code) {
        return code == RatingValues.LLM_JUDGE ? "LLM_JUDGE" : "HUMAN";
    }
}
