package org.esrp.metrics.service;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.esrp.metrics.diversity.EmbeddingDispersion;
import org.esrp.metrics.messaging.AnswerEvent;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Embeddings of the answers, computed as they arrive on a thread of their own (never on the event loop) by the in-JVM
 * bge-small-zh model, which loads on the first answer.
 */
@ApplicationScoped
public class EmbeddingIndex {

    private static final Logger LOG = Logger.getLogger(EmbeddingIndex.class);
    private static final int BATCH = 32;

    private final boolean enabled;
    private final Map<UUID, float[]> vectors = new ConcurrentHashMap<>();
    private final BlockingQueue<AnswerEvent> pending = new LinkedBlockingQueue<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "embeddings");
        thread.setDaemon(true);
        return thread;
    });

    public EmbeddingIndex(@ConfigProperty(name = "esrp.metrics.embeddings.enabled", defaultValue = "true") boolean enabled) {
        this.enabled = enabled;
    }

    public void submit(AnswerEvent answer) {
        if (!enabled || answer.answer() == null || answer.answer().isBlank()) {
            return;
        }
        pending.add(answer);
        if (started.compareAndSet(false, true)) {
            worker.execute(this::run);
        }
    }

    public Optional<float[]> vector(UUID responseId) {
        return Optional.ofNullable(vectors.get(responseId));
    }

    /** How many answers have an embedding; measures built on them change when this does. */
    public int size() {
        return vectors.size();
    }

    private void run() {
        // The tokenizer library would try to download a GPU build where it finds CUDA; the model ships in the jar.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        try (EmbeddingDispersion model = new EmbeddingDispersion()) {
            List<AnswerEvent> batch = new ArrayList<>(BATCH);
            while (!Thread.currentThread().isInterrupted()) {
                batch.clear();
                batch.add(pending.take());
                pending.drainTo(batch, BATCH - 1);
                try {
                    float[][] embedded = model.embed(batch.stream().map(AnswerEvent::answer).toList());
                    for (int i = 0; i < batch.size(); i++) {
                        vectors.put(batch.get(i).responseId(), embedded[i]);
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
