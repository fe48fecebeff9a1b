package org.esrp.generation.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.esrp.generation.config.GenerationConfig;
import org.esrp.generation.repository.RunRepository;
import org.esrp.generation.repository.RunRepository.Claim;
import org.esrp.llm.ClaimSlots;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * This replica's share of the running runs: slots of {@link ClaimSlots} over the dialogues of the responders. When a
 * dialogue is done, its lease passes to the responder's next queued one in the same statement (see
 * {@link RunRepository#handOver}); the database decides the room under a responder's max concurrency, over every
 * replica (see {@link RunRepository#claim}).
 */
@ApplicationScoped
@Startup
public class GenerationWorker implements ClaimSlots.Work<Claim, Void> {

    private final RunRepository runs;
    private final DialogueGenerator generator;
    private final ClaimSlots<Claim, Void> slots;

    public GenerationWorker(RunRepository runs, DialogueGenerator generator, GenerationConfig config) {
        this.runs = runs;
        this.generator = generator;
        this.slots = new ClaimSlots<>("esrp.generation", this, config.workers(), config.lease(), config.heartbeat());
    }

    /** Polls at once, off the caller's thread: a run was started here. */
    public void wake() {
        slots.wake();
    }

    @Scheduled(every = "${esrp.generation.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "1s")
    void poll() {
        slots.poll();
    }

    @Scheduled(every = "${esrp.generation.heartbeat}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        slots.heartbeat();
    }

    @Override
    public List<UUID> ownersWithWork() {
        return runs.respondersWithWork().await().atMost(ClaimSlots.dbTimeout());
    }

    @Override
    public List<Claim> claim(UUID responderId, int limit, long leaseMillis) {
        return runs.claim(responderId, limit, leaseMillis).await().atMost(ClaimSlots.dbTimeout());
    }

    @Override
    public Void perform(Claim claim) throws Throwable {
        generator.generate(claim.dialogueId());
        return null;
    }

    @Override
    public Optional<Claim> finish(Claim claim, Void result, String failure, UUID responderId, long leaseMillis) {
        return runs.handOver(claim, failure == null, failure, responderId, leaseMillis).await().atMost(ClaimSlots.dbTimeout());
    }

    @Override
    public void renew(List<Claim> held, long leaseMillis) {
        runs.renewLeases(held.stream().map(Claim::dialogueId).toList(), leaseMillis).await().atMost(ClaimSlots.dbTimeout());
    }

    @Override
    public void completeFinished() {
        runs.completeFinishedRuns().await().atMost(ClaimSlots.dbTimeout());
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        slots.stop();
    }
}
