package org.esrp.generation.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.common.outbox.Backlog;
import org.esrp.events.ResponseEvent;

/** The answers not yet on esrp.responses, on /q/metrics (esrp_outbox_backlog, esrp_outbox_oldest_age_seconds). */
@ApplicationScoped
public class OutboxBacklog {

    private final Backlog responses;

    public OutboxBacklog(MeterRegistry registry, Pool pool) {
        this.responses = new Backlog(registry, pool, ResponseEvent.TOPIC,
                "SELECT count(*), extract(epoch FROM now() - min(created_at)) FROM response WHERE published_at IS NULL");
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return responses.refresh().onFailure().recoverWithNull();
    }
}
