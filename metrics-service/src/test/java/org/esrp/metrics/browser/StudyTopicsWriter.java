package org.esrp.metrics.browser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.microprofile.config.ConfigProvider;
import org.esrp.local.Topics;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes what metrics-service consumes, as the other services publish it: answers on {@code esrp.responses} (as
 * generation-service does) and ratings on {@code esrp.ratings} (as annotation-service does). JSON values, string keys
 * (the dialogue id).
 */
final class StudyTopicsWriter {

    static final String RESPONSES = "esrp.responses";
    static final String RATINGS = "esrp.ratings";

    static final List<String> METRICS = List.of("fluency", "coherency", "consistency", "characterKnowledge",
            "speechStyle", "behavioralHabit", "demandMatching", "experienceSharing", "emotionalValue");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StudyTopicsWriter() {
    }

    /** The identity of one dialogue (one responder on one scenario of one character) and of its rating item. */
    record Dialogue(UUID studyId, UUID dialogueId, UUID itemId, UUID characterId, String characterName,
                    UUID scenarioId, String persona, String emotion, UUID responderId, String responderName,
                    String responderKind) {

        String modelName() {
            return "LLM".equals(responderKind) ? responderName : null;
        }
    }

    /** One round's answer record, as generation-service publishes it. */
    static ObjectNode answer(Dialogue dialogue, int round, String userMessage, String answer) {
        ObjectNode record = MAPPER.createObjectNode();
        record.put("responseId", UUID.randomUUID().toString());
        record.put("studyId", dialogue.studyId().toString());
        record.put("dialogueId", dialogue.dialogueId().toString());
        record.put("characterId", dialogue.characterId().toString());
        record.put("characterName", dialogue.characterName());
        record.put("scenarioId", dialogue.scenarioId().toString());
        record.put("persona", dialogue.persona());
        record.put("emotion", dialogue.emotion());
        record.put("responderId", dialogue.responderId().toString());
        record.put("responderName", dialogue.responderName());
        record.put("responderKind", dialogue.responderKind());
        record.put("modelName", dialogue.modelName());
        record.put("round", round);
        record.put("userMessage", userMessage);
        record.put("answer", answer);
        record.put("createdAt", Instant.now().toString());
        return record;
    }

    /**
     * One annotator's rating of a whole dialogue, as annotation-service publishes it once it accepted the rating:
     * the same nine metric keys, raterKind HUMAN, not a gold item.
     */
    static ObjectNode dialogueRating(Dialogue dialogue, UUID annotatorId, Map<String, Integer> scores) {
        ObjectNode record = MAPPER.createObjectNode();
        record.put("ratingId", UUID.randomUUID().toString());
        record.put("studyId", dialogue.studyId().toString());
        record.put("itemKind", "DIALOGUE");
        record.put("itemId", dialogue.itemId().toString());
        record.put("dialogueId", dialogue.dialogueId().toString());
        record.putArray("responseIds");
        record.put("responderId", dialogue.responderId().toString());
        record.put("responderKind", dialogue.responderKind());
        record.put("modelName", dialogue.modelName());
        record.put("characterId", dialogue.characterId().toString());
        record.put("characterName", dialogue.characterName());
        record.put("scenarioId", dialogue.scenarioId().toString());
        record.put("annotatorId", annotatorId.toString());
        record.put("raterKind", "HUMAN");
        ObjectNode byMetric = record.putObject("scores");
        METRICS.forEach(metric -> byMetric.put(metric, scores.get(metric)));
        record.putNull("comment");
        record.put("durationMs", 45_000L);
        record.putArray("flags");
        record.put("gold", false);
        record.putNull("goldPassed");
        record.put("createdAt", Instant.now().toString());
        return record;
    }

    /** Sends the records to the topic in order, keyed by their dialogue, and waits until the broker acknowledged each. */
    static void publish(String topic, List<ObjectNode> records) throws Exception {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        Topics.publish(bootstrap, topic, records.stream().map(r -> new Topics.Keyed(r.path("dialogueId").asText(), json(r))).toList());
    }

    private static String json(ObjectNode record) {
        try {
            return MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
