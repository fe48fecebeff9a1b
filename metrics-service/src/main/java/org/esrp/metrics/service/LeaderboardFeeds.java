package org.esrp.metrics.service;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.repository.StudyModels;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open leaderboard streams: each gets the leaderboard at once, then every newly computed one of its study and
 * variant ({@link StudyViews} computes it once per change for everyone), as the same JSON text; a slow subscriber
 * skips to the latest.
 */
@ApplicationScoped
public class LeaderboardFeeds {

    private final Map<String, Set<MultiEmitter<? super String>>> subscribers = new ConcurrentHashMap<>();
    private final StudyModels models;
    private final StudyViews views;

    public LeaderboardFeeds(StudyModels models, StudyViews views) {
        this.models = models;
        this.views = views;
        views.onUpdate((key, view) -> {
            Set<MultiEmitter<? super String>> open = subscribers.get(key);
            if (open != null) {
                open.forEach(subscriber -> subscriber.emit(view.json()));
            }
        });
    }

    /** The leaderboard now, then each changed one; ends when the study stops being served here. */
    public Multi<String> subscribe(UUID studyId, LeaderboardQuery query) {
        String key = query.key(studyId);
        return Multi.createFrom().<String>emitter(emitter -> {
            StudyModel model = models.get(studyId);
            if (model == null) {
                emitter.complete();
                return;
            }
            Set<MultiEmitter<? super String>> open = subscribers.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
            open.add(emitter);
            emitter.onTermination(() -> open.remove(emitter));
            emitter.emit(views.leaderboard(model, query).json());
        }, BackPressureStrategy.LATEST);
    }
}
