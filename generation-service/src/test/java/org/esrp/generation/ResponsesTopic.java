package org.esrp.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.microprofile.config.ConfigProvider;
import org.esrp.local.Topics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/** Reads esrp.responses from the beginning, as an analyst would, and keeps one study's records. */
final class ResponsesTopic {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ResponsesTopic() {
    }

    /** Waits until at least {@code expected} records of the study arrived, then reads on for {@code settle}. */
    static List<JsonNode> records(String studyId, int expected, Duration timeout, Duration settle) {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        return Topics.read(bootstrap, "esrp.responses", record -> studyId.equals(read(record.value()).path("studyId").asText()),
                        expected, timeout, settle).stream()
                .map(record -> {
                    JsonNode value = read(record.value());
                    if (!record.key().equals(value.path("studyId").asText())) {
                        throw new AssertionError("record key " + record.key() + " is not its studyId");
                    }
                    return value;
                })
                .toList();
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
