package org.esrp.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.esrp.local.LocalInfraResource;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "generation"))
class ChatAnimeImportTest {

    static Path dataFile(String name) {
        return Path.of(System.getProperty("esrp.data.dir", "../../shared/data/chatanime"), name);
    }

    @Test
    void importingTheFansFilePublishesEveryAnswerOnceAndASecondImportNothing() throws Exception {
        String study = StudyApi.study("import");
        byte[] human = Files.readAllBytes(dataFile("human.json"));

        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(human)
                .post("/studies/{id}/imports/chatanime?responder=human&kind=HUMAN", study)
                .then().statusCode(201)
                .body("charactersCreated", equalTo(20))
                .body("scenariosCreated", equalTo(60))
                .body("dialoguesCreated", equalTo(1200))
                .body("answersCreated", equalTo(2400));

        List<JsonNode> records = ResponsesTopic.records(study, 2400, Duration.ofSeconds(120), Duration.ofSeconds(2));
        assertEquals(2400, records.size());
        assertEquals(2400, records.stream().map(r -> r.path("responseId").asText()).distinct().count());
        assertEquals(1, records.stream().map(r -> r.path("responderKind").asText()).distinct().count());
        assertEquals("HUMAN", records.get(0).path("responderKind").asText());

        // every answer is the recorded one, with its own user message exactly as recorded
        JsonNode file = new ObjectMapper().readTree(human);
        Map<String, JsonNode> byKey = records.stream().collect(Collectors.toMap(
                r -> r.path("characterName").asText() + "/" + r.path("scenarioKey").asText() + "/" + r.path("round").asInt(), r -> r));
        file.fields().forEachRemaining(character -> character.getValue().forEach(d -> {
            String key = character.getKey() + "/" + d.path("dialog_id").asText();
            assertEquals(d.path("question_r1").asText(), byKey.get(key + "/1").path("userMessage").asText());
            assertEquals(d.path("answer_r1").asText(), byKey.get(key + "/1").path("answer").asText());
            assertEquals(d.path("question_r2").asText(), byKey.get(key + "/2").path("userMessage").asText());
            assertEquals(d.path("answer_r2").asText(), byKey.get(key + "/2").path("answer").asText());
        }));

        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(human)
                .post("/studies/{id}/imports/chatanime?responder=human&kind=HUMAN", study)
                .then().statusCode(200)
                .body("charactersCreated", equalTo(0))
                .body("dialoguesCreated", equalTo(0))
                .body("answersCreated", equalTo(0));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/characters", study).then().body("$", hasSize(20));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/scenarios", study).then().body("$", hasSize(60));
        // two outbox passes later, the topic still holds each answer once
        assertEquals(2400, ResponsesTopic.records(study, 2401, Duration.ofSeconds(5), Duration.ZERO).size());
    }

    @Test
    void anLlmFileSharesTheStudysCharactersAndScenarios() throws Exception {
        String study = StudyApi.study("import-llm");
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(Files.readAllBytes(dataFile("human.json")))
                .post("/studies/{id}/imports/chatanime?responder=human&kind=HUMAN", study).then().statusCode(201);
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(Files.readAllBytes(dataFile("gpt-4.1.json")))
                .post("/studies/{id}/imports/chatanime?responder=gpt-4.1&kind=LLM", study)
                .then().statusCode(201)
                .body("charactersCreated", equalTo(0))
                .body("scenariosCreated", equalTo(0))
                .body("answersCreated", equalTo(2400));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/responders", study).then()
                .body("$", hasSize(2))
                .body("find { it.name == 'gpt-4.1' }.kind", equalTo("LLM"))
                .body("find { it.name == 'gpt-4.1' }.llm.modelName", equalTo("gpt-4.1"));
        List<JsonNode> records = ResponsesTopic.records(study, 4800, Duration.ofSeconds(120), Duration.ofSeconds(1));
        assertEquals(2400, records.stream().filter(r -> "gpt-4.1".equals(r.path("modelName").asText())).count());
    }
}
