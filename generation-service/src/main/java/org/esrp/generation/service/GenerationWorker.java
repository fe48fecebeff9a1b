package org.esrp.generation.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.esrp.generation.config.GenerationConfig;
import org.esrp.generation.repository.RunRepository;
import org.esrp.generation.repository.RunRepository.Claim;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * This replica's share of the running runs. A slot generates one dialogue after another of its responder: when a
 * dialogue is done, its lease passes to the next queued one in the same statement (see {@link RunRepository#handOver}),
 * so a responder's calls keep its max concurrency busy instead of waiting for the next poll. The poll only opens
 * slots, for responders with queued work and room under their limit; the database decides the room, over every replica (see {@link RunRepository#claim}). A heartbeat
 * renews the leases of the dialogues in hand, so that leases can be short and a dead replica's work is taken over
 * soon.
 */
@ApplicationScoped
@Startup
public class GenerationWorker {

    private static final Logger LOG = Logger.getLogger(GenerationWorker.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private final RunRepository runs;
    private final DialogueGenerator generator;
    private final GenerationConfig config;
    private final ExecutorService pool;
    private final AtomicInteger slots = new AtomicInteger();
    private final Set<UUID> inHand = ConcurrentHashMap.newKeySet();
    private final ReentrantLock polling = new ReentrantLock();
    private final ExecutorService waker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "generation-wake");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean stopping;

    public GenerationWorker(RunRepository runs, DialogueGenerator generator, GenerationConfig config) {
        this.runs = runs;
        this.generator = generator;
        this.config = config;
        if (config.heartbeat().multipliedBy(2).compareTo(config.lease()) > 0) {
            // a lease that can run out between two heartbeats hands a dialogue still being generated to another slot
            throw new ConfigurationException("esrp.generation.heartbeat (" + config.heartbeat() + ") must be at most half of esrp.generation.lease ("
                    + config.lease() + ")");
        }
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(config.workers(), r -> {
            Thread thread = new Thread(r, "generation-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Polls at once, off the caller's thread: a run was started here. */
    public void wake() {
        waker.execute(this::poll);
    }

    @Scheduled(every = "${esrp.generation.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "1s")
    void poll() {
        // one poll at a time (the schedule's and a wake-up's): a poll that runs covers what the other would do
        if (!polling.tryLock()) {
            return;
        }
        try {
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
        } finally {
            polling.unlock();
        }
    }

    @Scheduled(every = "${esrp.generation.heartbeat}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        List<UUID> dialogues = List.copyOf(inHand);
        if (!dialogues.isEmpty()) {
            runs.renewLeases(dialogues, leaseMillis()).await().atMost(DB_TIMEOUT);
        }
    }

    private void open(UUID responderId, Claim first) {
        slots.incrementAndGet();
        inHand.add(first.dialogueId());
        pool.execute(() -> {
            try {
                for (Claim claim = first; claim != null; ) {
                    claim = generateAndHandOver(responderId, claim);
                }
            } finally {
                slots.decrementAndGet();
            }
        });
    }

    /** Generates the dialogue, records how it ended, and returns the slot's next dialogue (null ends the slot). */
    private Claim generateAndHandOver(UUID responderId, Claim claim) {
        boolean done = false;
        String reason = null;
        try {
            generator.generate(claim.dialogueId());
            done = true;
        } catch (InterruptedException e) {
            // shutting down: the lease runs out and another replica (or the next start) takes the dialogue over
            Thread.currentThread().interrupt();
            inHand.remove(claim.dialogueId());
            return null;
        } catch (Throwable failure) {
            reason = failure.getClass().getSimpleName() + ": " + failure.getMessage();
            LOG.warnf("dialogue %s failed: %s", claim.dialogueId(), reason);
            reason = reason.length() > 2000 ? reason.substring(0, 2000) : reason;
        }
        try {
            Claim next = runs.handOver(claim, done, reason, stopping ? null : responderId, leaseMillis()).await().atMost(DB_TIMEOUT).orElse(null);
            if (next != null) {
                inHand.add(next.dialogueId());
            }
            return next;
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not record the end of dialogue %s; its lease will hand it over", claim.dialogueId());
            return null;
        } finally {
            inHand.remove(claim.dialogueId());
        }
    }

    private long leaseMillis() {
        return config.lease().toMillis();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        stopping = true;
        waker.shutdownNow();
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }
}
