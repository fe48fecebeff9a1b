package org.esrp.metrics.messaging;

import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

public class RatingEventDeserializer extends ObjectMapperDeserializer<RatingEvent> {

    public RatingEventDeserializer() {
        super(RatingEvent.class);
    }
}
