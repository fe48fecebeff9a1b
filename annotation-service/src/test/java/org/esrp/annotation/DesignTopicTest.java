package org.esrp.annotation;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.esrp.local.LocalInfraResource;
import org.esrp.local.Topics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A study's design, its own rubric included, reaches the compacted esrp.designs, keyed by study, each time it is set. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "annotation"))
class DesignTopicTest {

    @Test
    void aStudysOwnRubricIsPublishedOnTheDesignsTopicAndSoIsEveryChange() throws Exception {
        UUID study = UUID.randomUUID();
        List<Map<String, Object>> rubric = List.of(
                metric("warmth", "Support"), metric("helpfulness", "Support"), metric("voice", "In character"), metric("lore", "In character"));
        Api.design(study, Map.of("ratersPerItem", 2, "rubric", rubric));
        JsonNode published = latest(study, 1);
        assertEquals(List.of("warmth", "helpfulness", "voice", "lore"), keys(published.path("rubric")));
        assertEquals(List.of("Support", "Support", "In character", "In character"),
                published.path("rubric").findValuesAsText("dimension"));
        assertEquals(7, published.path("rubric").path(0).path("max").asInt());
        assertEquals(List.of("diversity"), keys(published.path("diversityRubric")));
        assertEquals(2, published.path("ratersPerItem").asInt());
        assertEquals(1, published.path("schemaVersion").asInt());

        Api.design(study, Map.of("ratersPerItem", 3));
        JsonNode changed = latest(study, 2);
        assertEquals(3, changed.path("ratersPerItem").asInt());
        assertEquals(9, changed.path("rubric").size(), "without a rubric of its own the study is rated on the default one");
    }

    private static Map<String, Object> metric(String key, String dimension) {
        return Map.of("key", key, "name", key, "dimension", dimension, "definition", "what " + key + " means", "min", 1, "max", 7);
    }

    /** The last of the study's records on esrp.designs, once {@code records} of them arrived; each keyed by the study. */
    private static JsonNode latest(UUID study, int records) throws Exception {
        List<ConsumerRecord<String, String>> found = Topics.read(Streams.bootstrap(), "esrp.designs", r -> study.toString().equals(r.key()),
                records, Duration.ofSeconds(30), Duration.ofMillis(500));
        assertEquals(records, found.size());
        return Streams.MAPPER.readTree(found.get(found.size() - 1).value());
    }

    private static List<String> keys(JsonNode metrics) {
        return metrics.findValuesAsText("key");
    }
}
