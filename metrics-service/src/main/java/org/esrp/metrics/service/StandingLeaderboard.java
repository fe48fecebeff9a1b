package org.esrp.metrics.service;

import org.esrp.events.RubricMetric;
import org.esrp.metrics.domain.Exclusions;
import org.esrp.metrics.domain.Leaderboard;
import org.esrp.metrics.domain.Responder;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.service.RatedDialogues.Rated;
import org.esrp.metrics.service.RatedDialogues.Scores;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One leaderboard of a study that is not broken down by group, kept up to date: each computation derives again only the
 * dialogues rated since the last one and moves their old scores out of the rows and the baseline and their new ones in,
 * so it costs O(changed dialogues) plus reading the rows off, not a pass over every rated dialogue. Every sum is exact,
 * so the table is the same as one built from scratch, whatever the order of the changes. Built for one rubric and one
 * set of fans; when either changes, the caller builds a new one.
 */
final class StandingLeaderboard {

    private final List<RubricMetric> rubric;
    private final Scores scores;
    private final Set<UUID> fanIds;
    private final Byte raterKind;
    private final boolean eachFan;
    private final Map<UUID, RatedDialogues.Derived> derived = new HashMap<>();
    private final LeaderboardRows rows;
    private final HumanBaseline baseline;
    private int excluded;
    // what the last update took in: the study's item changes up to here, and these exclusions
    private long seen;
    private Exclusions seenExclusions;

    StandingLeaderboard(List<RubricMetric> rubric, Set<UUID> fanIds, Byte raterKind, boolean eachFan) {
        this.rubric = rubric;
        this.scores = Scores.of(rubric);
        this.fanIds = Set.copyOf(fanIds);
        this.raterKind = raterKind;
        this.eachFan = eachFan;
        this.rows = new LeaderboardRows(scores);
        this.baseline = new HumanBaseline(scores);
    }

    /** Whether this table is still the one of the study's rubric and fans. */
    boolean fits(List<RubricMetric> studyRubric, Set<UUID> studyFans) {
        return rubric == studyRubric && fanIds.equals(studyFans);
    }

    List<RubricMetric> rubric() {
        return rubric;
    }

    /**
     * The items changed in the study since the last call, to be taken in by {@link #update}: those whose ratings changed,
     * or every item when the exclusions changed (or the study's log of changes no longer reaches back); inside
     * {@link StudyModel#read}.
     */
    List<StudyModel.Item> pending(StudyModel model, Exclusions exclusions) {
        java.util.Set<UUID> keys = exclusions == seenExclusions ? model.changedSince(seen) : null;
        seen = model.changeCount();
        seenExclusions = exclusions;
        if (keys == null) {
            return new java.util.ArrayList<>(model.items());
        }
        List<StudyModel.Item> items = new java.util.ArrayList<>(keys.size());
        for (UUID key : keys) {
            StudyModel.Item item = model.item(key);
            if (item != null) {
                items.add(item);
            }
        }
        return items;
    }

    /**
     * Derives those items' dialogues again, and moves their old scores out of the rows and the baseline and their new
     * ones in; inside {@link StudyModel#read}, a part of {@link #pending}'s items at a time (taking one in twice is
     * harmless: its old scores are those derived the first time).
     */
    void update(StudyModel model, Exclusions exclusions, List<StudyModel.Item> items) {
        RatedDialogues.changes(model, raterKind, scores, derived, exclusions, items, (before, now) -> {
            if (before != null) {
                apply(before, false);
            }
            if (now != null) {
                apply(now, true);
            }
        });
    }

    private void apply(Rated dialogue, boolean add) {
        excluded += add ? dialogue.excluded() : -dialogue.excluded();
        if (fanIds.contains(dialogue.responderId())) {
            if (eachFan) {
                change(dialogue, add);
            }
            HumanBaseline.Pooled pooled = baseline.fan(dialogue, add);
            if (pooled.before() != null) {
                rows.remove(pooled.before());
            }
            if (pooled.after() != null) {
                rows.add(pooled.after());
            }
        } else {
            change(dialogue, add);
            baseline.dialogue(dialogue, add);
        }
    }

    private void change(Rated entry, boolean add) {
        if (add) {
            rows.add(entry);
        } else {
            rows.remove(entry);
        }
    }

    /** The ratings the quality policy left out of the table's dialogues. */
    int excluded() {
        return excluded;
    }

    List<Leaderboard.Row> rows(Map<UUID, Responder> responders) {
        return rows.rows(responders, baseline.fans().size());
    }

    Leaderboard.Baseline baseline(Map<UUID, Responder> responders) {
        return baseline.baseline(responders);
    }
}
