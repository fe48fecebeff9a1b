package org.esrp.generation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.esrp.local.FakeLlmServer;
import org.esrp.local.Prometheus;
import org.esrp.local.LocalInfraResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What generation costs: the endpoint reports 11 prompt and 7 completion tokens for every call, and the responder is
 * priced at 2 and 8 per million, the simulator at 1 and 2. By hand, a dialogue is two responder calls and one
 * simulator call: (2 x 11 x 2 + 2 x 7 x 8) / 10^6 + (11 x 1 + 7 x 2) / 10^6 = 0.000156 + 0.000025 = 0.000181, with
 * 33 tokens in and 21 out. Amounts are compared exactly.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "generation"))
class SpendTest {

    private static final BigDecimal PER_DIALOGUE = new BigDecimal("0.000181");
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    static FakeLlmServer llm;

    @BeforeAll
    static void startLlm() throws Exception {
        llm = FakeLlmServer.shared();
    }

    @Test
    void aRunCountsItsTokensAndCostAtTheModelsPricesAndProjectsItsTotal() throws Exception {
        String study = pricedStudy("spend", 4, 2);
        JsonNode run = awaitEnd(study, StudyApi.startRun(study));
        assertEquals("COMPLETED", run.path("status").asText());
        assertEquals(4 * 33, run.path("tokensIn").asLong());
        assertEquals(4 * 21, run.path("tokensOut").asLong());
        assertEquals(0, PER_DIALOGUE.multiply(BigDecimal.valueOf(4)).compareTo(run.path("cost").decimalValue()), run.toString());
        assertEquals(0, run.path("cost").decimalValue().compareTo(run.path("projectedCost").decimalValue()));

        // the same on /q/metrics, per model: 2 responder calls per dialogue, each 11 tokens in and 7 out, 0.000078
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        String model = "model=\"" + study + "-model\"";
        assertEquals(8.0, Prometheus.value(scrape, "esrp_llm_calls_total", model + ",outcome=\"answered\""), scrape);
        assertEquals(0.0, Prometheus.value(scrape, "esrp_llm_calls_total", model + ",outcome=\"failed\""));
        assertEquals(88.0, Prometheus.value(scrape, "esrp_llm_tokens_total", "direction=\"in\"," + model));
        assertEquals(56.0, Prometheus.value(scrape, "esrp_llm_tokens_total", "direction=\"out\"," + model));
        assertEquals(8 * 0.000078, Prometheus.value(scrape, "esrp_llm_cost_total", model), 1e-12);
        assertTrue(scrape.contains("esrp_outbox_backlog{topic=\"esrp.responses\"}"), "the outbox backlog is shown");
    }

    @Test
    void aRunStopsClaimingBeforeItsBudgetIsSpentAndGoesOnWhenTheBudgetIsRaised() throws Exception {
        String study = pricedStudy("budget", 10, 1);
        // five dialogues would cost 0.000905
        String runId = given().auth().oauth2("test-admin-token").queryParam("budget", "0.0009")
                .post("/studies/{id}/runs", study).then().statusCode(201).extract().path("id");
        JsonNode stopped = awaitEnd(study, runId);
        assertEquals("BUDGET_REACHED", stopped.path("status").asText(), stopped.toString());
        int done = stopped.path("done").asInt();
        System.out.printf("budget 0.0009: stopped after %d of 10 dialogues, %s spent, %s projected%n", done,
                stopped.path("cost").decimalValue().toPlainString(), stopped.path("projectedCost").decimalValue().toPlainString());
        assertTrue(done >= 1 && done <= 4, "done " + done);
        BigDecimal spent = stopped.path("cost").decimalValue();
        assertEquals(0, PER_DIALOGUE.multiply(BigDecimal.valueOf(done)).compareTo(spent), stopped.toString());
        assertTrue(spent.compareTo(new BigDecimal("0.0009")) <= 0);
        assertEquals(0, PER_DIALOGUE.multiply(BigDecimal.TEN).compareTo(stopped.path("projectedCost").decimalValue()));
        assertEquals(2L * done, llm.received(study + "-model").size(), "no call beyond the dialogues done");

        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(Map.of("budget", 1))
                .put("/studies/{s}/runs/{r}/budget", study, runId).then().statusCode(200);
        JsonNode finished = awaitEnd(study, runId);
        assertEquals("COMPLETED", finished.path("status").asText(), finished.toString());
        assertEquals(10, finished.path("done").asInt());
        assertEquals(0, PER_DIALOGUE.multiply(BigDecimal.TEN).compareTo(finished.path("cost").decimalValue()));
    }

    @Test
    void budgetsAndPricesMustBeAmountsOfAtMostFourDecimals() {
        String study = pricedStudy("bad-budget", 1, 1);
        for (String budget : new String[]{"-1", "abc", "0.00001"}) {
            given().auth().oauth2("test-admin-token").queryParam("budget", budget).post("/studies/{id}/runs", study)
                    .then().statusCode(400).body("errors.field", hasItem("budget"));
        }
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON)
                .body(Map.of("name", "negative", "kind", "LLM", "llm", Map.of("baseUrl", llm.baseUrl(), "modelName", "m",
                        "priceInputPerMillion", -1)))
                .post("/studies/{id}/responders", study).then().statusCode(400).body("errors.field", hasItem("llm.priceInputPerMillion"));
        given().auth().oauth2("test-admin-token").get("/studies/{id}/runs", study).then().statusCode(200).body("size()", org.hamcrest.Matchers.is(0));
    }

    private static String pricedStudy(String name, int scenarios, int concurrency) {
        String study = StudyApi.study(name);
        StudyApi.character(study, "折木奉太郎", "冰菓", "节能主义");
        for (int i = 0; i < scenarios; i++) {
            StudyApi.scenario(study, "p" + i, "花钱测试" + i);
        }
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON)
                .body(Map.of("name", "priced", "kind", "LLM", "llm", Map.of("baseUrl", llm.baseUrl(), "modelName", study + "-model",
                        "maxConcurrency", concurrency, "priceInputPerMillion", 2, "priceOutputPerMillion", 8)))
                .post("/studies/{id}/responders", study).then().statusCode(201);
        given().auth().oauth2("test-admin-token").contentType(ContentType.JSON)
                .body(Map.of("llm", Map.of("baseUrl", llm.baseUrl(), "modelName", study + "-sim", "priceInputPerMillion", 1,
                        "priceOutputPerMillion", 2)))
                .put("/studies/{id}/simulator", study).then().statusCode(200);
        return study;
    }

    private static JsonNode awaitEnd(String study, String runId) throws Exception {
        StudyApi.awaitRunEnd(study, runId);
        return JSON.readTree(given().auth().oauth2("test-admin-token").get("/studies/{s}/runs/{r}", study, runId)
                .then().statusCode(200).extract().asString());
    }
}
