package org.esrp.metrics.domain;

import org.esrp.metrics.diversity.DistinctN;

import java.util.UUID;

/**
 * The automatic diversity of one responder's answers for one character, in three scopes (0: both rounds, 1: round 1,
 * 2: round 2): how many answers and embeddings there are, and the measures as last computed (with the counts they were
 * computed from, so a stale measure is recognised and computed again).
 */
public record GroupDiversity(UUID responderId, UUID characterId, int[] answers, int[] vectors, Measures[] measures) {

    public static final int SCOPES = 3;

    /**
     * NaN-free: null where a measure is undefined (too few answers or embeddings). {@code prefixes1}, {@code prefixes2}:
     * distinct-1 and -2 of the answers' prefixes, for the length-controlled measures.
     */
    public record Measures(int answers, int vectors, Double distinct1, Double distinct2, Double selfBleu, Double dispersion,
                           DistinctN.Prefixes prefixes1, DistinctN.Prefixes prefixes2) {
    }

    public static GroupDiversity empty(UUID responderId, UUID characterId) {
        return new GroupDiversity(responderId, characterId, new int[SCOPES], new int[SCOPES], new Measures[SCOPES]);
    }

    public boolean stale(int scope, boolean withVectors) {
        Measures m = measures[scope];
        return answers[scope] > 0 && (m == null || m.answers() != answers[scope] || (withVectors && m.vectors() != vectors[scope])
                || m.prefixes1() == null);
    }

    public boolean anyStale(boolean withVectors) {
        for (int scope = 0; scope < SCOPES; scope++) {
            if (stale(scope, withVectors)) {
                return true;
            }
        }
        return false;
    }

    /** The scopes a round's answer counts in: both rounds, and its own. */
    public static int[] scopes(int round) {
        return new int[]{0, round};
    }
}
