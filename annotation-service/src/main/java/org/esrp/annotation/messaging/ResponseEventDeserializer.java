package org.esrp.annotation.messaging;

import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;
import org.esrp.events.ResponseEvent;

public class ResponseEventDeserializer extends ObjectMapperDeserializer<ResponseEvent> {

    public ResponseEventDeserializer() {
        super(ResponseEvent.class);
    }
}
