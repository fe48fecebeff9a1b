package org.esrp.generation.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.esrp.generation.config.GenerationConfig;
import org.esrp.generation.domain.Responder;
import org.esrp.generation.repository.ResponderRepository;
import org.esrp.generation.repository.RunRepository;
import org.esrp.generation.repository.RunRepository.Claim;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This replica's share of the running runs: claims queued dialogues through the database, never more per responder
 * than its max concurrent calls, and generates them on a pool of its own.
 */
@ApplicationScoped
public class GenerationWorker {

    private static final Logger LOG = Logger.getLogger(GenerationWorker.class);
    private static final int DEFAULT_CONCURRENCY = 4;
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private final RunRepository runs;
    private final ResponderRepository responders;
    private final DialogueGenerator generator;
    private final GenerationConfig config;
    private final ExecutorService pool;
    private final Map<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    public GenerationWorker(RunRepository runs, ResponderRepository responders, DialogueGenerator generator,
                            GenerationConfig config) {
        this.runs = runs;
        this.responders = responders;
        this.generator = generator;
        this.config = config;
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(config.workers(), r -> {
            Thread thread = new Thread(r, "generation-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Scheduled(every = "${esrp.generation.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "1s")
    void poll() throws Throwable {
        List<UUID> withWork = runs.respondersWithWork().await().atMost(DB_TIMEOUT);
        for (UUID responderId : withWork) {
            int free = Math.min(config.workers() - total.get(), concurrencyOf(responderId) - counter(responderId).get());
            if (free <= 0) {
                continue;
            }
            List<Claim> claims = runs.claim(responderId, free, config.lease().toMillis()).await().atMost(DB_TIMEOUT);
            for (Claim claim : claims) {
                counter(responderId).incrementAndGet();
                total.incrementAndGet();
                pool.execute(() -> process(responderId, claim));
            }
        }
        runs.completeFinishedRuns().await().atMost(DB_TIMEOUT);
    }

    private void process(UUID responderId, Claim claim) {
        try {
            generator.generate(claim.dialogueId(),
                    () -> runs.extendLease(claim.dialogueId(), config.lease().toMillis()).await().atMost(DB_TIMEOUT));
            runs.finish(claim, true, null).await().atMost(DB_TIMEOUT);
        } catch (InterruptedException e) {
            // shutting down: the lease runs out and another replica (or the next start) takes the dialogue over
            Thread.currentThread().interrupt();
        } catch (Throwable failure) {
            String reason = failure.getClass().getSimpleName() + ": " + failure.getMessage();
            LOG.warnf("dialogue %s failed: %s", claim.dialogueId(), reason);
            try {
                runs.finish(claim, false, reason.length() > 2000 ? reason.substring(0, 2000) : reason).await().atMost(DB_TIMEOUT);
            } catch (RuntimeException e) {
                LOG.errorf(e, "could not record the failure of dialogue %s; its lease will hand it over", claim.dialogueId());
            }
        } finally {
            counter(responderId).decrementAndGet();
            total.decrementAndGet();
        }
    }

    private int concurrencyOf(UUID responderId) throws Throwable {
        Responder responder = VertxContextSupport.subscribeAndAwait(() -> responders.findById(responderId));
        return responder == null || responder.llm.maxConcurrency == null ? DEFAULT_CONCURRENCY : responder.llm.maxConcurrency;
    }

    private AtomicInteger counter(UUID responderId) {
        return inFlight.computeIfAbsent(responderId, id -> new AtomicInteger());
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }
}
