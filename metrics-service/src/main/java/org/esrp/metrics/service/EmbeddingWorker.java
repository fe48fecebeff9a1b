package org.esrp.metrics.service;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.common.utils.Bytes;
import org.esrp.metrics.config.MetricsConfig;
import org.esrp.metrics.diversity.EmbeddingDispersion;
import org.esrp.metrics.messaging.DerivedPublisher;
import org.esrp.metrics.messaging.StudyEvent;
import org.esrp.metrics.repository.StateKeys;
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
 * loop), loading the model with the first answer; each embedding goes to the answer's partition through the derived
 * topic, to be stored there.
 */
@ApplicationScoped
public class EmbeddingWorker {

    private static final Logger LOG = Logger.getLogger(EmbeddingWorker.class);
    private static final int BATCH = 32;

    private record Pending(UUID studyId, byte[] key, String answer) {
    }

    private final boolean enabled;
    private final DerivedPublisher publisher;
    private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "embeddings");
        thread.setDaemon(true);
        return thread;
    });

    public EmbeddingWorker(MetricsConfig config, DerivedPublisher publisher) {
        this.enabled = config.embeddings().enabled();
        this.publisher = publisher;
    }

    public void submit(UUID studyId, Bytes key, String answer) {
        if (!enabled || answer == null || answer.isBlank()) {
            return;
        }
        pending.add(new Pending(studyId, key.get(), answer));
        if (started.compareAndSet(false, true)) {
            worker.execute(this::run);
        }
    }

    private void run() {
        // The tokenizer library would try to download a GPU build where it finds CUDA; the model ships in the jar.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        try (EmbeddingDispersion model = new EmbeddingDispersion()) {
            List<Pending> batch = new ArrayList<>(BATCH);
            while (!Thread.currentThread().isInterrupted()) {
                batch.clear();
                batch.add(pending.take());
                pending.drainTo(batch, BATCH - 1);
                try {
                    float[][] embedded = model.embed(batch.stream().map(Pending::answer).toList());
                    for (int i = 0; i < batch.size(); i++) {
                        byte[] key = batch.get(i).key();
                        publisher.embedding(new StudyEvent.Embedding(batch.get(i).studyId(), StateKeys.uuid(key, 17),
                                StateKeys.uuid(key, 33), StateKeys.round(key), StateKeys.uuid(key, 50), embedded[i]));
                    }
                } catch (RuntimeException e) {
                    LOG.warnf("embedding %d answers failed: %s", batch.size(), e.getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | LinkageError e) {
            LOG.errorf(e, "the embedding model could not be loaded; embedding dispersion stays empty");
        }
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        worker.shutdownNow();
        worker.awaitTermination(5, TimeUnit.SECONDS);
    }
}
