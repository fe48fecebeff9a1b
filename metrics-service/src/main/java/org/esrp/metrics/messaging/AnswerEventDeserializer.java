package org.esrp.metrics.messaging;

import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

public class AnswerEventDeserializer extends ObjectMapperDeserializer<AnswerEvent> {

    public AnswerEventDeserializer() {
        super(AnswerEvent.class);
    }
}
