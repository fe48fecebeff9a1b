package org.esrp.metrics.service;

import java.util.UUID;

/**
 * Which leaderboard of a study: broken down by a group (null: none), of a rater kind's ratings (null: every kind), with
 * the human fans as one group ("group") or as the group and each fan ("each"), of the ratings the study's quality policy
 * keeps (quality true) or of all.
 */
public record LeaderboardQuery(String groupBy, String raterKind, String fans, boolean quality) {

    public static final LeaderboardQuery DEFAULT = new LeaderboardQuery(null, "HUMAN", "group", true);

    /** The key of this leaderboard among a study's views (and of the streams that follow it). */
    public String key(UUID studyId) {
        return studyId + "/leaderboard/" + groupBy + "/" + raterKind + "/" + fans + "/" + quality;
    }
}
