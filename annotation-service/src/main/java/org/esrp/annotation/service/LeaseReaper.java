package org.esrp.annotation.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.repository.TaskQueue;

/**
 * Gives the slots of expired leases back in the background, so that an abandoned task returns to the queue in its
 * place; a claim that finds nothing free also reaps before it gives up.
 */
@ApplicationScoped
public class LeaseReaper {

    private final TaskQueue queue;

    public LeaseReaper(TaskQueue queue) {
        this.queue = queue;
    }

    @Scheduled(every = "${esrp.annotation.leases.reap-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "5s")
    Uni<Void> reap() {
        return Panache.withSession(queue::reapExpired).replaceWithVoid();
    }
}
