package org.esrp.generation.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.esrp.generation.config.GenerationConfig;
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
 * This replica's share of the running runs. A slot generates one dialogue after another of its responder: when a
 * dialogue is done, the slot claims the next one at once, so a responder's calls keep its max concurrency busy
 * instead of waiting for the next poll. The poll only opens slots, for responders with queued work and room under
 * their limit; the database decides the room, over every replica (see {@link RunRepository#claim}). A heartbeat
 * renews the leases of the dialogues in hand, so that leases can be short and a dead replica's work is taken over
 * soon.
 */
@ApplicationScoped
public class GenerationWorker {

    private static final Logger LOG = Logger.getLogger(GenerationWorker.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private final RunRepository runs;
    private final DialogueGenerator generator;
    private final GenerationConfig config;
    private final ExecutorService pool;
    private final AtomicInteger slots = new AtomicInteger();
    private final Map<UUID, Claim> inHand = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public GenerationWorker(RunRepository runs, DialogueGenerator generator, GenerationConfig config) {
        this.runs = runs;
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
    void poll() {
        for (UUID responderId : runs.respondersWithWork().await().atMost(DB_TIMEOUT)) {
            int free = config.workers() - slots.get();
            if (free <= 0 || stopping) {
                break;
            }
            for (Claim claim : runs.claim(responderId, free, leaseMillis()).await().atMost(DB_TIMEOUT)) {
                open(responderId, claim);
            }
        }
        runs.completeFinishedRuns().await().atMost(DB_TIMEOUT);
    }

    @Scheduled(every = "${esrp.generation.heartbeat}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        List<UUID> dialogues = List.copyOf(inHand.keySet());
        if (!dialogues.isEmpty()) {
            runs.renewLeases(dialogues, leaseMillis()).await().atMost(DB_TIMEOUT);
        }
    }

    private void open(UUID responderId, Claim first) {
        slots.incrementAndGet();
        inHand.put(first.dialogueId(), first);
        pool.execute(() -> {
            try {
                for (Claim claim = first; claim != null; claim = next(responderId)) {
                    generate(claim);
                }
            } finally {
                slots.decrementAndGet();
            }
        });
    }

    /** The slot's next dialogue, if its responder still has queued work and room; null ends the slot. */
    private Claim next(UUID responderId) {
        if (stopping || Thread.currentThread().isInterrupted()) {
            return null;
        }
        try {
            List<Claim> claims = runs.claim(responderId, 1, leaseMillis()).await().atMost(DB_TIMEOUT);
            if (claims.isEmpty()) {
                return null;
            }
            inHand.put(claims.get(0).dialogueId(), claims.get(0));
            return claims.get(0);
        } catch (RuntimeException e) {
            LOG.warnf("could not claim the next dialogue of responder %s (%s); the next poll tries again", responderId, e.getMessage());
            return null;
        }
    }

    private void generate(Claim claim) {
        try {
            generator.generate(claim.dialogueId());
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
            inHand.remove(claim.dialogueId());
        }
    }

    private long leaseMillis() {
        return config.lease().toMillis();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        stopping = true;
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }
}
