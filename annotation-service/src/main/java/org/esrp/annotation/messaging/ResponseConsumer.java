package org.esrp.annotation.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.esrp.annotation.service.ItemBuilder;
import org.esrp.events.ResponseEvent;
import org.jboss.logging.Logger;

/** Turns the answers on esrp.responses into rating items. Acked only once stored, so a restart loses nothing. */
@ApplicationScoped
public class ResponseConsumer {

    private static final Logger LOG = Logger.getLogger(ResponseConsumer.class);

    private final ItemBuilder items;

    public ResponseConsumer(ItemBuilder items) {
        this.items = items;
    }

    @Incoming("responses")
    public Uni<Void> consume(ResponseEvent event) {
        if (event == null || event.responseId() == null || event.dialogueId() == null || event.answer() == null
                || (event.round() != 1 && event.round() != 2)) {
            LOG.warnf("skipping an esrp.responses record that is not a response: %s", event);
            return Uni.createFrom().voidItem();
        }
        return items.ingest(event);
    }
}
