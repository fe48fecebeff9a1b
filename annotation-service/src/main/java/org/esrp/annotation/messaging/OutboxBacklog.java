package org.esrp.annotation.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.common.outbox.Backlog;
import org.esrp.events.DesignEvent;
import org.esrp.events.RatingEvent;

/** The ratings and designs not yet on their topics, on /q/metrics (esrp_outbox_backlog, esrp_outbox_oldest_age_seconds). */
@ApplicationScoped
public class OutboxBacklog {

    private final Backlog ratings;
    private final Backlog designs;

    public OutboxBacklog(MeterRegistry registry, Pool pool) {
        this.ratings = new Backlog(registry, pool, RatingEvent.TOPIC,
                "SELECT count(*), extract(epoch FROM now() - min(created_at)) FROM rating WHERE published_at IS NULL");
        this.designs = new Backlog(registry, pool, DesignEvent.TOPIC,
                "SELECT count(*), extract(epoch FROM now() - min(updated_at)) FROM study_design WHERE published_at IS NULL");
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return ratings.refresh().flatMap(done -> designs.refresh()).onFailure().recoverWithNull();
    }
}
