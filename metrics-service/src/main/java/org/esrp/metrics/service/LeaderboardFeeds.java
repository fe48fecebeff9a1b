package org.esrp.metrics.service;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.esrp.metrics.config.MetricsConfig;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.repository.StudyModels;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The open leaderboard streams: one feed per study and variant, recomputed when the study changes (at most once per
 * throttle interval, on the trailing edge so the last change always shows) and pushed as the same JSON text to every
 * subscriber. A slow subscriber skips to the latest leaderboard.
 */
@ApplicationScoped
public class LeaderboardFeeds {

    private static final Logger LOG = Logger.getLogger(LeaderboardFeeds.class);

    private record Variant(UUID studyId, String groupBy, String raterKind) {
    }

    private final class Feed {
        final Variant variant;
        final Set<MultiEmitter<? super String>> subscribers = ConcurrentHashMap.newKeySet();
        final AtomicBoolean scheduled = new AtomicBoolean();
        volatile long lastRun;
        volatile String lastSent;

        Feed(Variant variant) {
            this.variant = variant;
        }
    }

    private final Map<Variant, Feed> feeds = new ConcurrentHashMap<>();
    private final StudyModels models;
    private final StudyViews views;
    private final long throttleNanos;
    private final ScheduledExecutorService pusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "leaderboard-feeds");
        thread.setDaemon(true);
        return thread;
    });

    public LeaderboardFeeds(StudyModels models, StudyViews views, MetricsConfig config) {
        this.models = models;
        this.views = views;
        this.throttleNanos = config.throttle().toNanos();
    }

    /** The leaderboard now, then each changed one; ends when the study stops being served here. */
    public Multi<String> subscribe(UUID studyId, String groupBy, String raterKind) {
        Variant variant = new Variant(studyId, groupBy, raterKind);
        return Multi.createFrom().<String>emitter(emitter -> {
            Feed feed = feeds.computeIfAbsent(variant, Feed::new);
            feed.subscribers.add(emitter);
            emitter.onTermination(() -> feed.subscribers.remove(emitter));
            pusher.execute(() -> first(feed, emitter));
        }, BackPressureStrategy.LATEST);
    }

    /** Called for every applied event: only schedules. */
    public void changed(StudyModel model) {
        for (Feed feed : feeds.values()) {
            if (feed.variant.studyId().equals(model.studyId()) && !feed.subscribers.isEmpty() && feed.scheduled.compareAndSet(false, true)) {
                long wait = Math.max(0, feed.lastRun + throttleNanos - System.nanoTime());
                pusher.schedule(() -> push(feed), wait, TimeUnit.NANOSECONDS);
            }
        }
    }

    private void first(Feed feed, MultiEmitter<? super String> emitter) {
        String json = compute(feed);
        if (json == null) {
            emitter.complete();
        } else {
            emitter.emit(json);
        }
    }

    private void push(Feed feed) {
        feed.scheduled.set(false);
        feed.lastRun = System.nanoTime();
        String json = compute(feed);
        if (json == null) {
            feed.subscribers.forEach(MultiEmitter::complete);
            return;
        }
        if (!json.equals(feed.lastSent)) {
            feed.lastSent = json;
            feed.subscribers.forEach(subscriber -> subscriber.emit(json));
        }
    }

    private String compute(Feed feed) {
        StudyModel model = models.get(feed.variant.studyId());
        if (model == null) {
            return null;
        }
        try {
            return views.currentLeaderboard(model, feed.variant.groupBy(), feed.variant.raterKind()).json();
        } catch (RuntimeException e) {
            LOG.warnf(e, "computing the leaderboard of %s failed", feed.variant.studyId());
            return null;
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        pusher.shutdownNow();
    }
}
