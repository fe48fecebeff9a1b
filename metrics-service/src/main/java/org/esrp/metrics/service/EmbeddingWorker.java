package org.esrp.metrics.service;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.common.utils.Bytes;
import org.esrp.metrics.config.MetricsConfig;
import org.esrp.metrics.diversity.EmbeddingDispersion;
import org.esrp.metrics.messaging.CatchUp;
import org.esrp.metrics.messaging.DerivedPublisher;
import org.esrp.metrics.messaging.StudyEvent;
import org.esrp.metrics.repository.StateKeys;
import org.esrp.metrics.repository.StoreQueries;
import org.esrp.metrics.repository.Vectors;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Embeds stored answers with the in-JVM bge-small-zh model on a thread of its own (never the stream thread or an event
 * loop); each embedding goes to the answer's partition through the derived topic, to be stored there. Answers are
 * taken up once the instance has caught up, a moment after they were stored, and skipped when their embedding is in the
 * store by then: an instance catching up reads the embeddings computed before from the derived topic, and computes none
 * of them again (the model is loaded only once there is something to embed).
 */
@ApplicationScoped
public class EmbeddingWorker {

    private static final Logger LOG = Logger.getLogger(EmbeddingWorker.class);
    private static final int BATCH = 32;

    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private record Pending(UUID studyId, int partition, byte[] key, String answer, long at) {
    }

    private final boolean enabled;
    private final DerivedPublisher publisher;
    private final StoreQueries store;
    private final CatchUp catchUp;
    private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "embeddings");
        thread.setDaemon(true);
        return thread;
    });

    public EmbeddingWorker(MetricsConfig config, DerivedPublisher publisher, StoreQueries store, CatchUp catchUp) {
        this.enabled = config.embeddings().enabled();
        this.publisher = publisher;
        this.store = store;
        this.catchUp = catchUp;
    }

    public void submit(UUID studyId, int partition, Bytes key, String answer) {
        if (!enabled || answer == null || answer.isBlank()) {
            return;
        }
        pending.add(new Pending(studyId, partition, key.get(), answer, System.nanoTime()));
        if (started.compareAndSet(false, true)) {
            worker.execute(this::run);
        }
    }

    private void run() {
        // The tokenizer library would try to download a GPU build where it finds CUDA; the model ships in the jar.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        EmbeddingDispersion model = null;
        try {
            List<Pending> batch = new ArrayList<>(BATCH);
            while (!Thread.currentThread().isInterrupted()) {
                batch.clear();
                Pending first = pending.take();
                while (!catchUp.caughtUp()) {
                    TimeUnit.MILLISECONDS.sleep(200);
                }
                long wait = first.at() + SETTLE_NANOS - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                batch.add(first);
                pending.drainTo(batch, BATCH - 1);
                List<Pending> todo = unembedded(batch);
                if (todo.isEmpty()) {
                    continue;
                }
                if (model == null) {
                    model = new EmbeddingDispersion();
                }
                try {
                    float[][] embedded = model.embed(todo.stream().map(Pending::answer).toList());
                    for (int i = 0; i < todo.size(); i++) {
                        byte[] key = todo.get(i).key();
                        publisher.embedding(new StudyEvent.Embedding(todo.get(i).studyId(), StateKeys.responder(key),
                                StateKeys.character(key), StateKeys.round(key), StateKeys.response(key), Vectors.encode(embedded[i])));
                    }
                } catch (RuntimeException e) {
                    LOG.warnf("embedding %d answers failed: %s", todo.size(), e.getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | LinkageError e) {
            LOG.errorf(e, "the embedding model could not be loaded; embedding dispersion stays empty");
        } finally {
            if (model != null) {
                model.close();
            }
        }
    }

    /** Those of the batch whose embedding is not stored yet; the ones whose partition cannot be read now wait. */
    private List<Pending> unembedded(List<Pending> batch) {
        List<Pending> todo = new ArrayList<>();
        for (Pending answer : batch) {
            try {
                if (!store.contains(answer.partition(), StateKeys.retype(Bytes.wrap(answer.key()), StateKeys.VECTOR))) {
                    todo.add(answer);
                }
            } catch (RuntimeException rebalancing) {
                pending.add(new Pending(answer.studyId(), answer.partition(), answer.key(), answer.answer(), System.nanoTime()));
            }
        }
        return todo;
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        worker.shutdownNow();
        worker.awaitTermination(5, TimeUnit.SECONDS);
    }
}
