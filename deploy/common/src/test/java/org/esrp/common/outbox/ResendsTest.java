package org.esrp.common.outbox;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ResendsTest {

    @Test
    void onlyASecondSendOfAnUnacknowledgedIdCounts() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Resends resends = new Resends(registry, "esrp.ratings");
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        resends.sending(a);
        resends.sending(b);
        resends.acknowledged(b);
        resends.sending(a); // a's first send failed: this is a re-publish
        resends.sending(UUID.randomUUID());
        resends.acknowledged(a);
        resends.sending(a); // acknowledged before: a new publish as far as this process knows
        assertEquals(1.0, registry.counter(Resends.METRIC, "topic", "esrp.ratings").count());
    }
}
