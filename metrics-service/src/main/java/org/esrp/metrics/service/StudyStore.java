package org.esrp.metrics.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.metrics.messaging.AnswerEvent;
import org.esrp.metrics.messaging.RatingEvent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything the streams said, per study, deduplicated by responseId and ratingId. Snapshots are sorted by id, so what
 * is computed from them does not depend on the order in which the events arrived (restart, replay, several replicas).
 * Each study's version counts its changes: the leaderboard stream pushes when it moves.
 */
@ApplicationScoped
public class StudyStore {

    private final Map<UUID, StudyData> studies = new ConcurrentHashMap<>();

    /** A consistent copy of one study's events. */
    public record Snapshot(UUID studyId, List<AnswerEvent> answers, List<RatingEvent> ratings, long version) {
    }

    private static final class StudyData {
        final Map<UUID, AnswerEvent> answers = new LinkedHashMap<>();
        final Map<UUID, RatingEvent> ratings = new LinkedHashMap<>();
        long version;
    }

    /** True when the answer is new. */
    public boolean add(AnswerEvent answer) {
        StudyData data = studies.computeIfAbsent(answer.studyId(), id -> new StudyData());
        boolean added;
        synchronized (data) {
            added = data.answers.putIfAbsent(answer.responseId(), answer) == null;
            if (added) {
                data.version++;
            }
        }
        return added;
    }

    public void add(RatingEvent rating) {
        StudyData data = studies.computeIfAbsent(rating.studyId(), id -> new StudyData());
        synchronized (data) {
            if (data.ratings.putIfAbsent(rating.ratingId(), rating) == null) {
                data.version++;
            }
        }
    }

    public Snapshot snapshot(UUID studyId) {
        StudyData data = studies.get(studyId);
        if (data == null) {
            return new Snapshot(studyId, List.of(), List.of(), 0);
        }
        synchronized (data) {
            List<AnswerEvent> answers = new ArrayList<>(data.answers.values());
            List<RatingEvent> ratings = new ArrayList<>(data.ratings.values());
            answers.sort(Comparator.comparing(AnswerEvent::responseId));
            ratings.sort(Comparator.comparing(RatingEvent::ratingId));
            return new Snapshot(studyId, List.copyOf(answers), List.copyOf(ratings), data.version);
        }
    }

    public boolean knows(UUID studyId) {
        return studies.containsKey(studyId);
    }
}
