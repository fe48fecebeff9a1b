package org.esrp.metrics.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.esrp.metrics.config.MetricsConfig;
import org.esrp.metrics.domain.Adjusted;
import org.esrp.metrics.domain.Comparisons;
import org.esrp.metrics.domain.Leaderboard;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.messaging.CatchUp;
import org.esrp.metrics.service.AgreementService.Agreement;
import org.esrp.metrics.service.DiversityService.Diversity;
import org.esrp.metrics.service.JudgeAgreementService.JudgeAgreement;
import org.esrp.metrics.service.RaterService.Rater;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A study's views (leaderboards, comparisons, adjusted means, agreement, judge agreement, raters, diversity), kept
 * computed: each view of a study (its default ones, and every variant asked for) is computed again in the background
 * after the study changes (its ratings, or what its quality policy leaves out of them), once per change whatever
 * the number of readers and streams, and kept with its JSON so that it is written once for all of them. A view is
 * computed at most every {@code esrp.metrics.throttle} (rater statistics every {@code esrp.metrics.raters-throttle}),
 * and, but for the streamed leaderboards, never more often than every {@value #COST_FACTOR} times its own computing
 * time; together those views take at most 1/{@value #COST_FACTOR} of a core (one thread that rests
 * {@value #COST_FACTOR} - 1 times as long as it computed), so that views that read every rating leave the streamed
 * leaderboards and the stream thread the rest of the machine. Requests never wait for a
 * computation (only the very first of a variant does). Before the instance has caught up, a view is computed only
 * once, its first time: a restarted instance computes its views while it reads the little it missed, so they are there
 * when it has caught up; a fresh one computes nothing more while it reads the topics.
 */
@ApplicationScoped
public class StudyViews {

    private static final Logger LOG = Logger.getLogger(StudyViews.class);
    private static final long COST_FACTOR = 4;

    /** A computed view: what it was computed from, when, and its JSON. */
    public record View<T>(StudyModel model, long version, long computedAt, T value, String json, byte[] utf8) {

        View(StudyModel model, long version, long computedAt, T value, String json) {
            // encoded once for every reader: a request sends these bytes as they are
            this(model, version, computedAt, value, json, json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** One view of one study, kept computed. */
    private final class Kept<T> {
        final String key;
        final ToLongFunction<StudyModel> versionOf;
        final Function<StudyModel, T> compute;
        final AtomicBoolean scheduled = new AtomicBoolean();
        volatile StudyModel model;
        volatile View<T> view;
        volatile long lastStart;
        volatile long lastDuration;

        Kept(String key, StudyModel model, ToLongFunction<StudyModel> versionOf, Function<StudyModel, T> compute) {
            this.key = key;
            this.model = model;
            this.versionOf = versionOf;
            this.compute = compute;
        }

        /** Whether its view was computed since {@code at} (System.nanoTime). */
        boolean computedSince(long at) {
            return view != null && lastStart - at >= 0;
        }

        boolean current() {
            View<T> v = view;
            return v != null && v.model() == model && v.version() == versionOf.applyAsLong(model);
        }

        synchronized View<T> refresh() {
            if (current()) {
                return view;
            }
            StudyModel at = model;
            long version = versionOf.applyAsLong(at);
            long start = System.nanoTime();
            T value = compute.apply(at);
            View<T> computed = new View<>(at, version, System.nanoTime(), value, json(value));
            lastStart = start;
            lastDuration = System.nanoTime() - start;
            String kind = key.substring(key.indexOf('/') + 1);
            kind = kind.indexOf('/') < 0 ? kind : kind.substring(0, kind.indexOf('/'));
            registry.timer(COMPUTE_TIME, "view", kind).record(lastDuration, java.util.concurrent.TimeUnit.NANOSECONDS);
            view = computed;
            updated.forEach(listener -> listener.accept(key, computed));
            return computed;
        }
    }

    private final Map<java.util.UUID, Map<String, Kept<?>>> kept = new ConcurrentHashMap<>();
    private final java.util.List<BiConsumer<String, View<?>>> updated = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("views-scheduler"));
    // the streamed leaderboards have a thread of their own: a slower view is never in their way
    private final ExecutorService leaderboardComputing = Executors.newSingleThreadExecutor(daemon("views-leaderboard"));
    private final ExecutorService computing = Executors.newSingleThreadExecutor(daemon("views"));
    /** How long computing a view takes, per kind of view (leaderboard, comparisons, ...), on /q/metrics. */
    public static final String COMPUTE_TIME = "esrp.views.compute";
    private final MeterRegistry registry;
    private final LeaderboardService leaderboards;
    private final ComparisonService comparisons;
    private final AdjustedService adjusted;
    private final AgreementService agreement;
    private final JudgeAgreementService judges;
    private final RaterService raters;
    private final DiversityService diversity;
    private final com.fasterxml.jackson.databind.ObjectWriter writer;
    private final CatchUp catchUp;
    private final long throttleNanos;
    private final long ratersThrottleNanos;
    /** Before this time (System.nanoTime) the shared thread starts no view again, but a first one. */
    private volatile long sharedFreeAt = System.nanoTime();
    /** The views that are not streamed waiting for the shared thread to have rested. */
    private final java.util.Set<Kept<?>> resting = ConcurrentHashMap.newKeySet();

    public StudyViews(LeaderboardService leaderboards, ComparisonService comparisons, AdjustedService adjusted,
                      AgreementService agreement, JudgeAgreementService judges, RaterService raters, DiversityService diversity,
                      ObjectMapper mapper, CatchUp catchUp, MetricsConfig config, MeterRegistry registry) {
        this.registry = registry;
        this.leaderboards = leaderboards;
        this.comparisons = comparisons;
        this.adjusted = adjusted;
        this.agreement = agreement;
        this.judges = judges;
        this.raters = raters;
        this.diversity = diversity;
        // Non-ASCII characters (the rubric's Chinese names) escaped: the JSON is then a Latin-1 string, which the server-sent
        // events encode and scan again for every open stream (a flight recording showed those UTF-16 passes).
        this.writer = mapper.writer().with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII);
        this.catchUp = catchUp;
        this.throttleNanos = config.throttle().toNanos();
        this.ratersThrottleNanos = config.ratersThrottle().toNanos();
    }

    public View<Leaderboard> leaderboard(StudyModel model, LeaderboardQuery query) {
        return get(keep(query.key(model.studyId()), model, StudyModel::version, m -> leaderboards.leaderboard(withExclusions(m), query)));
    }

    public View<Comparisons> comparisons(StudyModel model, String raterKind, String score, boolean quality) {
        return get(keep(model.studyId() + "/comparisons/" + raterKind + "/" + score + "/" + quality, model, StudyModel::version,
                m -> comparisons.comparisons(withExclusions(m), raterKind, score, quality)));
    }

    public View<Adjusted> adjusted(StudyModel model, String raterKind, String score, boolean quality) {
        return get(keep(model.studyId() + "/adjusted/" + raterKind + "/" + score + "/" + quality, model, StudyModel::version,
                m -> adjusted.adjusted(withExclusions(m), raterKind, score, quality)));
    }

    public View<List<Agreement>> agreement(StudyModel model, String raterKind, boolean quality) {
        return get(keep(model.studyId() + "/agreement/" + raterKind + "/" + quality, model, StudyModel::version,
                m -> agreement.agreement(withExclusions(m), raterKind, quality)));
    }

    public View<List<JudgeAgreement>> judgeAgreement(StudyModel model, boolean quality) {
        return get(keep(model.studyId() + "/judges/agreement/" + quality, model, StudyModel::version,
                m -> judges.agreement(withExclusions(m), quality)));
    }

    public View<List<Rater>> raters(StudyModel model) {
        return get(ratersView(model));
    }

    /**
     * The rater statistics, and from them what the study's quality policy leaves out: recorded in the model, where a
     * change makes every view of the study be computed again.
     */
    private Kept<List<Rater>> ratersView(StudyModel model) {
        return keep(model.studyId() + "/raters", model, StudyModel::version, m -> {
            List<Rater> rows = raters.raters(m);
            if (m.exclusions(RaterService.exclusions(m, rows))) {
                changed(m);
            }
            return rows;
        });
    }

    /** The model, its exclusions derived first if they never were (the first view after a start waits for them). */
    private StudyModel withExclusions(StudyModel model) {
        if (model.exclusions() == null) {
            ratersView(model).refresh();
        }
        return model;
    }

    public View<List<Diversity>> diversity(StudyModel model, Integer round, boolean quality) {
        return get(keep(model.studyId() + "/diversity/" + round + "/" + quality, model, StudyModel::diversityVersion,
                m -> diversity.diversity(withExclusions(m), round, quality)));
    }

    /** Tells {@code listener} of every view computed (key, view): the leaderboard streams push what they follow. */
    public void onUpdate(BiConsumer<String, View<?>> listener) {
        updated.add(listener);
    }

    /** The study changed: its views are computed again (with its default views the first time). */
    public void changed(StudyModel model) {
        Map<String, Kept<?>> views = kept.get(model.studyId());
        if (views == null) {
            ratersView(model);
            keep(LeaderboardQuery.DEFAULT.key(model.studyId()), model, StudyModel::version,
                    m -> leaderboards.leaderboard(withExclusions(m), LeaderboardQuery.DEFAULT));
            keep(model.studyId() + "/agreement/HUMAN/true", model, StudyModel::version, m -> agreement.agreement(withExclusions(m), "HUMAN", true));
            keep(model.studyId() + "/diversity/null/true", model, StudyModel::diversityVersion,
                    m -> diversity.diversity(withExclusions(m), null, true));
            views = kept.get(model.studyId());
        }
        for (Kept<?> view : views.values()) {
            view.model = model;
            schedule(view);
        }
    }

    /**
     * Whether every view kept of the studies served here shows what the instance caught up with (readiness waits for
     * it after the catch-up): computed since it caught up, or from the study as it is. A view computed early in a
     * long catch-up (its first) does not count.
     */
    public boolean computed(java.util.function.Predicate<java.util.UUID> served) {
        long caughtUpAt = catchUp.caughtUpAt();
        for (Map.Entry<java.util.UUID, Map<String, Kept<?>>> study : kept.entrySet()) {
            if (!served.test(study.getKey())) {
                continue;
            }
            for (Kept<?> view : study.getValue().values()) {
                if (view.view == null || view.view.model() != view.model || !(view.computedSince(caughtUpAt) || view.current())) {
                    return false;
                }
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private <T> Kept<T> keep(String key, StudyModel model, ToLongFunction<StudyModel> versionOf, Function<StudyModel, T> compute) {
        Kept<T> view = (Kept<T>) kept.computeIfAbsent(model.studyId(), id -> new ConcurrentHashMap<>())
                .computeIfAbsent(key, k -> new Kept<>(k, model, versionOf, compute));
        if (view.model != model) {
            view.model = model;
        }
        return view;
    }

    /** The latest view at once (a stale one is being computed again); the first time, the view computed here. */
    private <T> View<T> get(Kept<T> view) {
        View<T> latest = view.view;
        if (latest != null && latest.model() == view.model) {
            if (!view.current()) {
                schedule(view);
            }
            return latest;
        }
        return view.refresh();
    }

    /** The views waited for the catch-up (computing them before is wasted): their turn now, not at their next look. */
    void onCaughtUp(@Observes CatchUp.CaughtUp event) {
        kept.values().forEach(views -> views.values().forEach(this::schedule));
    }

    private void schedule(Kept<?> view) {
        if (waitsForCatchUp(view) || !view.scheduled.compareAndSet(false, true)) {
            return;
        }
        // the streamed leaderboards keep to the throttle; the other views to a share of a core
        long interval = view.key.contains("/leaderboard/") ? Math.max(throttleNanos, view.lastDuration)
                : Math.max(view.key.endsWith("/raters") ? ratersThrottleNanos : throttleNanos, COST_FACTOR * view.lastDuration);
        long wait = Math.max(0, view.lastStart + interval - System.nanoTime());
        ExecutorService executor = view.key.contains("/leaderboard/") ? leaderboardComputing : computing;
        scheduler.schedule(() -> executor.execute(() -> run(view)), wait, TimeUnit.NANOSECONDS);
    }

    private void run(Kept<?> view) {
        if (waitsForCatchUp(view)) {
            view.scheduled.set(false);
            // caught up since the check: onCaughtUp's schedule found this one pending, so it is this run's to schedule
            if (catchUp.caughtUp()) {
                schedule(view);
            }
            return;
        }
        boolean shared = !view.key.contains("/leaderboard/");
        long wait = sharedFreeAt - System.nanoTime();
        // readiness waits for each view's first computation since the catch-up: that one does not rest
        if (shared && view.computedSince(catchUp.caughtUpAt())) {
            // The views that are not streamed share a quarter of a core between them, whatever their number; when the
            // thread has rested, the one that waited longest goes first, so that a slow view never starves the others.
            resting.add(view);
            if (wait > 0 || longestWaiting() != view) {
                scheduler.schedule(() -> computing.execute(() -> run(view)), Math.max(wait, 1_000_000), TimeUnit.NANOSECONDS);
                return;
            }
            resting.remove(view);
        }
        view.scheduled.set(false);
        long start = System.nanoTime();
        try {
            view.refresh();
        } catch (RuntimeException e) {
            LOG.warnf(e, "computing %s failed", view.key);
        }
        if (shared) {
            long end = System.nanoTime();
            sharedFreeAt = end + (COST_FACTOR - 1) * (end - start);
        }
    }

    /**
     * Whether the view waits for the catch-up: computing it again before would be wasted on numbers nobody reads, and
     * {@link #onCaughtUp} schedules it then. Waiting is not looking again every so often: while a fresh instance reads a
     * million ratings, every one of them changes the study, and each look re-armed a timer (a flight recording showed
     * the scheduler's queue taking a sixth of a core through the catch-up).
     */
    private boolean waitsForCatchUp(Kept<?> view) {
        return view.view != null && !catchUp.caughtUp();
    }

    private Kept<?> longestWaiting() {
        Kept<?> longest = null;
        for (Kept<?> view : resting) {
            if (longest == null || view.lastStart - longest.lastStart < 0) {
                longest = view;
            }
        }
        return longest;
    }

    private String json(Object value) {
        try {
            return writer.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    void onStop(@Observes ShutdownEvent event) {
        scheduler.shutdownNow();
        leaderboardComputing.shutdownNow();
        computing.shutdownNow();
    }
}
