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

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

        Api.design(study, Map.of("ratersPerItem", 3, "quality", Map.of("minRaterCorrelation", 0.3, "excludeTooFast", false)));
        JsonNode changed = latest(study, 2);
        assertEquals(3, changed.path("ratersPerItem").asInt());
        assertEquals(9, changed.path("rubric").size(), "without a rubric of its own the study is rated on the default one");
        // the quality policy travels as set; metrics-service fills in the defaults
        assertEquals(0.3, changed.path("quality").path("minRaterCorrelation").asDouble());
        assertEquals(false, changed.path("quality").path("excludeTooFast").asBoolean(true));
        assertTrue(changed.path("quality").path("maxTooFastRate").isNull());

        // a policy out of range is refused with the field at fault, and changes nothing
        given().header("Authorization", Api.ADMIN).contentType("application/json")
                .body(Map.of("ratersPerItem", 2, "quality", Map.of("maxStraightLiningRate", 1.5)))
                .put("/studies/{id}/design", study).then().statusCode(400).body("errors.field", hasItem("quality.maxStraightLiningRate"));
        given().header("Authorization", Api.ADMIN).get("/studies/{id}/design", study).then().statusCode(200)
                .body("ratersPerItem", equalTo(3)).body("quality.minRaterCorrelation", equalTo(0.3f))
                .body("quality.maxStraightLiningRate", equalTo(0.5f));
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
