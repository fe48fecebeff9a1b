package org.esrp.annotation.messaging;

import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

public class ResponseEventDeserializer extends ObjectMapperDeserializer<ResponseEvent> {

    public ResponseEventDeserializer() {
        super(ResponseEvent.class);
    }
}
