package org.esrp.annotation.browser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.microprofile.config.ConfigProvider;
import org.esrp.local.Topics;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Publishes answers to esrp.responses as generation-service does: JSON values, keyed by dialogueId. */
final class ResponsesTopicWriter {

    static final String TOPIC = "esrp.responses";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ResponsesTopicWriter() {
    }

    /** The identity of one dialogue: the same for both of its rounds. */
    record Dialogue(String studyId, String dialogueId, String characterId, String characterName, String scenarioId,
                    String scenarioKey, String persona, String emotion, String responderId, String responderName) {
    }

    /** One round's answer record, with every field generation-service publishes. */
    static ObjectNode answer(Dialogue dialogue, int round, String userMessage, String answer) {
        ObjectNode record = MAPPER.createObjectNode();
        record.put("responseId", UUID.randomUUID().toString());
        record.put("studyId", dialogue.studyId());
        record.put("dialogueId", dialogue.dialogueId());
        record.put("characterId", dialogue.characterId());
        record.put("characterName", dialogue.characterName());
        record.put("scenarioId", dialogue.scenarioId());
        record.put("scenarioKey", dialogue.scenarioKey());
        record.put("persona", dialogue.persona());
        record.put("emotion", dialogue.emotion());
        record.put("responderId", dialogue.responderId());
        record.put("responderName", dialogue.responderName());
        record.put("responderKind", "LLM");
        record.put("modelName", dialogue.responderName());
        record.put("round", round);
        record.put("userMessage", userMessage);
        record.put("answer", answer);
        record.put("latencyMs", 120);
        record.put("tokensIn", 10);
        record.put("tokensOut", 20);
        record.put("temperature", 0.7);
        record.putNull("simulatorModel");
        record.put("createdAt", Instant.now().toString());
        return record;
    }

    /** Sends the records in order and waits until the broker acknowledged each one. */
    static void publish(List<ObjectNode> records) throws Exception {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        Topics.publish(bootstrap, TOPIC, records.stream().map(r -> new Topics.Keyed(r.path("dialogueId").asText(), json(r))).toList());
    }

    private static String json(ObjectNode record) {
        try {
            return MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
