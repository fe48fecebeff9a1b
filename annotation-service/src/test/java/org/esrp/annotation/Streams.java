package org.esrp.annotation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.microprofile.config.ConfigProvider;
import org.esrp.local.Topics;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The Kafka side of the tests: answers published as generation-service would, ratings read as an analyst would. */
final class Streams {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Streams() {
    }

    static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    /** One responder's dialogue in a study; {@link #publish} sends its rounds. */
    record Dialogue(UUID studyId, UUID dialogueId, UUID characterId, String characterName, UUID scenarioId,
                    UUID responderId, String responderName, String kind, String model) {

        static Dialogue of(UUID studyId, UUID characterId, String characterName, UUID responderId, String responderName, String kind) {
            return new Dialogue(studyId, UUID.randomUUID(), characterId, characterName, UUID.randomUUID(), responderId,
                    responderName, kind, "LLM".equals(kind) ? responderName : null);
        }

        Map<String, Object> round(int round, UUID responseId) {
            Map<String, Object> record = new HashMap<>();
            record.put("responseId", responseId.toString());
            record.put("studyId", studyId.toString());
            record.put("dialogueId", dialogueId.toString());
            record.put("characterId", characterId.toString());
            record.put("characterName", characterName);
            record.put("scenarioId", scenarioId.toString());
            record.put("scenarioKey", scenarioId.toString().substring(0, 4));
            record.put("persona", "学生");
            record.put("emotion", "焦虑");
            record.put("responderId", responderId.toString());
            record.put("responderName", responderName);
            record.put("responderKind", kind);
            record.put("modelName", model);
            record.put("round", round);
            record.put("userMessage", "第" + round + "轮的问题 " + dialogueId.toString().substring(0, 6));
            record.put("answer", "第" + round + "轮的回答，来自角色 " + dialogueId.toString().substring(0, 6));
            record.put("createdAt", OffsetDateTime.now().toString());
            return record;
        }
    }

    static void publish(List<Map<String, Object>> records) throws Exception {
        List<Topics.Keyed> keyed = new ArrayList<>();
        for (Map<String, Object> record : records) {
            keyed.add(new Topics.Keyed((String) record.get("studyId"), MAPPER.writeValueAsString(record)));
        }
        Topics.publish(bootstrap(), "esrp.responses", keyed);
    }

    static void publishDialogues(List<Dialogue> dialogues, int... rounds) throws Exception {
        List<Map<String, Object>> records = new ArrayList<>();
        for (Dialogue d : dialogues) {
            for (int round : rounds) {
                records.add(d.round(round, UUID.nameUUIDFromBytes((d.dialogueId() + "/" + round).getBytes())));
            }
        }
        publish(records);
    }

    /** The esrp.ratings records of a study, read from the beginning until {@code expected} arrived plus {@code settle}. */
    static List<JsonNode> ratings(UUID studyId, int expected, Duration timeout, Duration settle) throws Exception {
        List<JsonNode> records = new ArrayList<>();
        for (var record : Topics.read(bootstrap(), "esrp.ratings",
                r -> r.value().contains(studyId.toString()), expected, timeout, settle)) {
            JsonNode value = MAPPER.readTree(record.value());
            if (studyId.toString().equals(value.path("studyId").asText())) {
                records.add(value);
            }
        }
        return records;
    }
}
