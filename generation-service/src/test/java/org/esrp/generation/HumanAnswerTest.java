package org.esrp.generation;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.esrp.local.FakeLlmServer;
import org.esrp.local.LocalInfraResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "generation"))
class HumanAnswerTest {

    static FakeLlmServer llm;

    @BeforeAll
    static void startLlm() throws Exception {
        llm = FakeLlmServer.shared();
    }

    @Test
    void aFanAnswersRoundOneThenTheSimulatorsFollowUpToItThenRoundTwo() {
        String study = StudyApi.study("fan");
        String rem = StudyApi.character(study, "蕾姆", "Re：从零开始的异世界生活", "温柔、忠诚");
        String other = StudyApi.character(study, "薇尔莉特", "紫罗兰永恒花园", "认真");
        String scenario = StudyApi.scenario(study, "1", "我最近总是失眠");
        StudyApi.simulator(study, llm.baseUrl(), "fan-sim");
        String fan = StudyApi.fan(study, "fan-1", List.of(rem));
        String path = "/studies/{s}/responders/{r}/dialogues/{c}/{sc}";

        given().auth().oauth2("test-admin-token").get(path, study, fan, rem, scenario).then().statusCode(200)
                .body("nextRound", equalTo(1)).body("nextQuestion", equalTo("我最近总是失眠")).body("rounds", hasSize(0));

        String fansRoundOne = "昴君也常常睡不着呢，蕾姆陪你说说话吧。";
        String question2 = given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(Map.of("round", 1, "answer", fansRoundOne))
                .post(path + "/answers", study, fan, rem, scenario).then().statusCode(201)
                .body("nextRound", equalTo(2)).extract().path("nextQuestion");
        assertTrue(question2.startsWith("[fan-sim] reply to: "), question2);
        String simulatorPrompt = llm.received("fan-sim").get(0).lastUserMessage();
        assertTrue(simulatorPrompt.contains(fansRoundOne), "the simulator wrote round 2 from the fan's own round 1");

        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(Map.of("round", 1, "answer", "again"))
                .post(path + "/answers", study, fan, rem, scenario).then().statusCode(409).body("errors.field", hasItem("round"));
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(Map.of("round", 2, "answer", "蕾姆会一直在你身边。"))
                .post(path + "/answers", study, fan, rem, scenario).then().statusCode(201)
                .body("nextRound", nullValue()).body("rounds", hasSize(2)).body("rounds[1].userMessage", equalTo(question2));

        given().auth().oauth2("test-admin-token").get(path, study, fan, other, scenario).then().statusCode(400).body("errors.field", hasItem("characterId"));
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(Map.of("round", 3, "answer", "x"))
                .post(path + "/answers", study, fan, rem, scenario).then().statusCode(400).body("errors.field", hasItem("round"));

        List<JsonNode> records = ResponsesTopic.records(study, 2, Duration.ofSeconds(30), Duration.ofSeconds(1));
        assertEquals(2, records.size());
        JsonNode round2 = records.stream().filter(r -> r.path("round").asInt() == 2).findFirst().orElseThrow();
        assertEquals("HUMAN", round2.path("responderKind").asText());
        assertTrue(round2.path("modelName").isNull());
        assertEquals("fan-sim", round2.path("simulatorModel").asText());
        assertEquals(question2, round2.path("userMessage").asText());
    }

    @Test
    void aFansRoundOneWaitsForTheStudysSimulatorInsteadOfBeingLost() {
        String study = StudyApi.study("fan-no-sim");
        String rem = StudyApi.character(study, "蕾姆", "Re：从零开始的异世界生活", "温柔、忠诚");
        String scenario = StudyApi.scenario(study, "1", "我最近总是失眠");
        String fan = StudyApi.fan(study, "fan-2", List.of(rem));
        String path = "/studies/{s}/responders/{r}/dialogues/{c}/{sc}";

        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(Map.of("round", 1, "answer", "蕾姆陪你。"))
                .post(path + "/answers", study, fan, rem, scenario).then().statusCode(201)
                .body("rounds", hasSize(1)).body("nextRound", equalTo(2)).body("nextQuestion", nullValue());
        given().auth().oauth2("test-admin-token").get(path, study, fan, rem, scenario).then().statusCode(200)
                .body("rounds[0].answer", equalTo("蕾姆陪你。")).body("nextRound", equalTo(2)).body("nextQuestion", nullValue());
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(Map.of("round", 2, "answer", "x"))
                .post(path + "/answers", study, fan, rem, scenario).then().statusCode(409).body("errors.field", hasItem("round"));

        StudyApi.simulator(study, llm.baseUrl(), "late-sim");
        String question2 = given().auth().oauth2("test-admin-token").get(path, study, fan, rem, scenario).then().statusCode(200)
                .body("nextRound", equalTo(2)).extract().path("nextQuestion");
        assertTrue(question2 != null && question2.startsWith("[late-sim] reply to: "), String.valueOf(question2));
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(Map.of("round", 2, "answer", "蕾姆会一直在你身边。"))
                .post(path + "/answers", study, fan, rem, scenario).then().statusCode(201).body("rounds", hasSize(2));
        assertEquals(2, ResponsesTopic.records(study, 2, Duration.ofSeconds(30), Duration.ofSeconds(1)).size());
    }
}
