package org.esrp.metrics.service;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.esrp.metrics.config.MetricsConfig;
import org.esrp.metrics.domain.GroupDiversity;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.messaging.CatchUp;
import org.esrp.metrics.messaging.DerivedPublisher;
import org.esrp.metrics.messaging.StudyEvent;
import org.esrp.metrics.repository.StateKeys;
import org.esrp.metrics.repository.StoreQueries;
import org.esrp.metrics.repository.Vectors;
import org.esrp.metrics.repository.StudyModels;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Computes the diversity measures of (responder, character) groups whose answers or embeddings changed, off the stream
 * thread, once a group has been quiet for a moment (so that a burst of answers costs one computation), at most every
 * {@code esrp.metrics.diversity-throttle} for a group that keeps changing (self-BLEU grows with the square of the
 * group's answers, and a generation run adds one to each group every second or so), and once the instance
 * has caught up (so that measures computed before, on the derived topic, are not computed again), from the answers and
 * embeddings in the state store; the results go back to the study's partition through the derived topic.
 */
@ApplicationScoped
public class DiversityWorker {

    private static final Logger LOG = Logger.getLogger(DiversityWorker.class);

    private record Group(UUID studyId, UUID responderId, UUID characterId) {
    }

    private final Debounce<Group> pending;
    private final StudyModels models;
    private final StoreQueries store;
    private final DerivedPublisher publisher;
    private final CatchUp catchUp;
    private final boolean withVectors;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "diversity");
        thread.setDaemon(true);
        return thread;
    });

    public DiversityWorker(StudyModels models, StoreQueries store, DerivedPublisher publisher, CatchUp catchUp, MetricsConfig config) {
        this.models = models;
        this.store = store;
        this.publisher = publisher;
        this.catchUp = catchUp;
        this.withVectors = config.embeddings().enabled();
        this.pending = new Debounce<>(config.diversityQuiet().toNanos(), config.diversityThrottle().toNanos());
        long every = Math.max(20, config.diversityQuiet().toMillis() / 4);
        worker.scheduleWithFixedDelay(this::drain, every, every, TimeUnit.MILLISECONDS);
    }

    public void touch(UUID studyId, UUID responderId, UUID characterId) {
        pending.touch(new Group(studyId, responderId, characterId), System.nanoTime());
    }

    private void drain() {
        if (!catchUp.caughtUp()) {
            return;
        }
        for (Group group : pending.due(System.nanoTime())) {
            try {
                compute(group);
            } catch (RuntimeException e) {
                // The partition is rebalancing or moving: its next owner asks again for what is stale.
                LOG.debugf("diversity of %s postponed: %s", group, e.getMessage());
                if (models.get(group.studyId()) != null) {
                    pending.retry(group, System.nanoTime());
                }
            }
        }
    }

    private void compute(Group group) {
        StudyModel model = models.get(group.studyId());
        if (model == null || !model.read(m -> m.group(group.responderId(), group.characterId()).anyStale(withVectors))) {
            return;
        }
        List<List<String>> answers = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<List<float[]>> vectors = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        store.scan(model.partition(), StateKeys.textPrefix(StateKeys.ANSWER, group.studyId(), group.responderId(), group.characterId()),
                (key, value) -> {
                    String text = new String(value, StandardCharsets.UTF_8);
                    for (int scope : GroupDiversity.scopes(StateKeys.round(key))) {
                        answers.get(scope).add(text);
                    }
                });
        if (withVectors) {
            store.scan(model.partition(), StateKeys.textPrefix(StateKeys.VECTOR, group.studyId(), group.responderId(), group.characterId()),
                    (key, value) -> {
                        float[] vector = Vectors.decode(value);
                        for (int scope : GroupDiversity.scopes(StateKeys.round(key))) {
                            vectors.get(scope).add(vector);
                        }
                    });
        }
        for (int scope = 0; scope < GroupDiversity.SCOPES; scope++) {
            if (!answers.get(scope).isEmpty()) {
                publisher.diversity(new StudyEvent.Diversity(group.studyId(), group.responderId(), group.characterId(), scope,
                        DiversityService.measure(answers.get(scope), vectors.get(scope))));
            }
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        worker.shutdownNow();
    }
}
