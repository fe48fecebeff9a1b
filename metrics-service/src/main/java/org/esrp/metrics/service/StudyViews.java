package org.esrp.metrics.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.metrics.config.MetricsConfig;
import org.esrp.metrics.domain.Leaderboard;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.service.AgreementService.Agreement;
import org.esrp.metrics.service.DiversityService.Diversity;
import org.esrp.metrics.service.RaterService.Rater;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A study's computed views (leaderboards, agreement, raters, diversity), each computed at most once per change and at
 * most once per throttle interval, whatever the number of readers, and kept with its JSON so that it is written once
 * for every reader and stream. A request never waits for a computation once a view exists: it gets the latest view, and
 * a stale one is computed again in the background (so it is at most a throttle interval and a computation behind).
 * The open streams ask for the current view instead ({@link #currentLeaderboard}), which they compute themselves.
 */
@ApplicationScoped
public class StudyViews {

    /** A computed view: what it was computed from, when, and its JSON. */
    public record View<T>(StudyModel model, long version, long computedAt, T value, String json) {
    }

    private final Map<String, View<?>> views = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    private final ExecutorService refresher = Executors.newFixedThreadPool(2, r -> {
        Thread thread = new Thread(r, "views");
        thread.setDaemon(true);
        return thread;
    });
    private final LeaderboardService leaderboards;
    private final AgreementService agreement;
    private final RaterService raters;
    private final DiversityService diversity;
    private final ObjectMapper mapper;
    private final Duration throttle;
    private final Duration ratersThrottle;

    public StudyViews(LeaderboardService leaderboards, AgreementService agreement, RaterService raters, DiversityService diversity,
                      ObjectMapper mapper, MetricsConfig config) {
        this.leaderboards = leaderboards;
        this.agreement = agreement;
        this.raters = raters;
        this.diversity = diversity;
        this.mapper = mapper;
        this.throttle = config.throttle();
        this.ratersThrottle = config.ratersThrottle();
    }

    public View<Leaderboard> leaderboard(StudyModel model, String groupBy, String raterKind) {
        return view(model, "leaderboard/" + groupBy + "/" + raterKind, throttle, StudyModel::version,
                m -> leaderboards.leaderboard(m, groupBy, raterKind), false);
    }

    /** The leaderboard as of the study's current version (computed here if the latest is older), for the streams. */
    public View<Leaderboard> currentLeaderboard(StudyModel model, String groupBy, String raterKind) {
        return view(model, "leaderboard/" + groupBy + "/" + raterKind, throttle, StudyModel::version,
                m -> leaderboards.leaderboard(m, groupBy, raterKind), true);
    }

    public View<List<Agreement>> agreement(StudyModel model, String raterKind) {
        return view(model, "agreement/" + raterKind, throttle, StudyModel::version, m -> agreement.agreement(m, raterKind), false);
    }

    public View<List<Rater>> raters(StudyModel model) {
        return view(model, "raters", ratersThrottle, StudyModel::version, raters::raters, false);
    }

    public View<List<Diversity>> diversity(StudyModel model, Integer round) {
        return view(model, "diversity/" + round, throttle, StudyModel::diversityVersion, m -> diversity.diversity(m, round), false);
    }

    /**
     * @param wait compute a stale view here and return it; otherwise return the latest view at once and compute the
     *             stale one in the background (a view that does not exist yet is always computed here)
     */
    @SuppressWarnings("unchecked")
    private <T> View<T> view(StudyModel model, String name, Duration fresh, ToLongFunction<StudyModel> versionOf,
                             Function<StudyModel, T> compute, boolean wait) {
        String key = model.studyId() + "/" + name;
        View<T> view = (View<T>) views.get(key);
        if (view != null && view.model() == model && !wait) {
            if (!current(view, model, fresh, versionOf) && refreshing.add(key)) {
                refresher.execute(() -> {
                    try {
                        compute(key, model, fresh, versionOf, compute);
                    } finally {
                        refreshing.remove(key);
                    }
                });
            }
            return view;
        }
        return compute(key, model, fresh, versionOf, compute);
    }

    @SuppressWarnings("unchecked")
    private <T> View<T> compute(String key, StudyModel model, Duration fresh, ToLongFunction<StudyModel> versionOf,
                                Function<StudyModel, T> compute) {
        synchronized (locks.computeIfAbsent(key, k -> new Object())) {
            View<T> view = (View<T>) views.get(key);
            if (current(view, model, fresh, versionOf)) {
                return view;
            }
            long version = versionOf.applyAsLong(model);
            T value = compute.apply(model);
            view = new View<>(model, version, System.nanoTime(), value, json(value));
            views.put(key, view);
            return view;
        }
    }

    private static boolean current(View<?> view, StudyModel model, Duration fresh, ToLongFunction<StudyModel> versionOf) {
        return view != null && view.model() == model
                && (view.version() == versionOf.applyAsLong(model) || System.nanoTime() - view.computedAt() < fresh.toNanos());
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
