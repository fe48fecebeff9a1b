package org.esrp.generation;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.esrp.local.LocalInfraResource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * Who may do what on generation-service, and which endpoints and secrets an LLM responder may use. The tokens are the
 * %test ones: the admin's, and a researcher's and an analyst's configured by their SHA-256 hashes.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "generation"))
class AccessTest {

    static final String ADMIN = "test-admin-token";
    static final String RESEARCHER = "test-researcher-token";
    static final String ANALYST = "test-analyst-token";
    private static final String PROBLEM = "application/problem+json";

    @Test
    void withoutATokenIssuedHereNothingIsServedButTheReplayOfPublicRecordings() {
        String study = StudyApi.study("access");
        String fanDialogue = "/studies/" + study + "/responders/" + UUID.randomUUID() + "/dialogues/" + UUID.randomUUID() + "/" + UUID.randomUUID();
        for (String path : List.of("/studies", "/studies/" + study, "/studies/" + study + "/scenarios", "/studies/" + study + "/responders",
                "/studies/" + study + "/runs", fanDialogue)) {
            given().get(path).then().statusCode(401).contentType(PROBLEM).header("WWW-Authenticate", startsWith("Bearer"))
                    .body("errors.field", hasItem("Authorization"));
            given().auth().oauth2("not-issued").get(path).then().statusCode(401).contentType(PROBLEM);
            given().header("Authorization", "Basic " + ADMIN).get(path).then().statusCode(401);
        }
        given().post("/studies/{id}/runs", study).then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("name", "anonymous-" + UUID.randomUUID())).post("/studies").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"model\":\"simulator\",\"messages\":[]}").post("/replay/v1/chat/completions")
                .then().statusCode(not(equalTo(401)));
    }

    @Test
    void authenticationComesBeforeValidation() {
        given().contentType(ContentType.JSON).body("{\"name\": ").post("/studies").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{}").post("/studies/{id}/responders", UUID.randomUUID()).then().statusCode(401);
        given().auth().oauth2(ANALYST).contentType(ContentType.JSON).body("{}").post("/studies").then().statusCode(403).contentType(PROBLEM);
    }

    @Test
    void analystsReadResearchersWriteAndNeitherSeesTheFansDialoguesButResearchers() {
        String study = StudyApi.study("roles");
        given().auth().oauth2(ANALYST).get("/studies/{id}/responders", study).then().statusCode(200);
        given().auth().oauth2(ANALYST).contentType(ContentType.JSON).body(Map.of("name", "by-analyst-" + UUID.randomUUID()))
                .post("/studies").then().statusCode(403);
        given().auth().oauth2(ANALYST).post("/studies/{id}/runs", study).then().statusCode(403);
        String character = StudyApi.character(study, "角色", "作品", "性格");
        String scenario = StudyApi.scenario(study, "s1", "开场白");
        String fan = StudyApi.fan(study, "fan-1", List.of(character));
        given().auth().oauth2(ANALYST).get("/studies/{s}/responders/{r}/dialogues/{c}/{sc}", study, fan, character, scenario)
                .then().statusCode(403);
        given().auth().oauth2(RESEARCHER).get("/studies/{s}/responders/{r}/dialogues/{c}/{sc}", study, fan, character, scenario)
                .then().statusCode(200);
        given().auth().oauth2(RESEARCHER).contentType(ContentType.JSON).body(Map.of("name", "by-researcher-" + UUID.randomUUID()))
                .post("/studies").then().statusCode(201);
    }

    @Test
    void anLlmKeyIsReadOnlyFromVariablesTheOperatorAllowed() {
        String study = StudyApi.study("keys");
        for (String variable : List.of("HOME", "ESRP_ADMIN_TOKEN", "QUARKUS_DATASOURCE_PASSWORD", "PATH")) {
            given().auth().oauth2(ADMIN).contentType(ContentType.JSON)
                    .body(llmResponder("leak-" + variable, "https://api.example.com/v1", variable))
                    .post("/studies/{id}/responders", study)
                    .then().statusCode(400).contentType(PROBLEM).body("errors.field", hasItem("llm.apiKeyEnv"));
            given().auth().oauth2(ADMIN).contentType(ContentType.JSON)
                    .body(Map.of("llm", Map.of("baseUrl", "https://api.example.com/v1", "modelName", "sim", "apiKeyEnv", variable)))
                    .put("/studies/{id}/simulator", study).then().statusCode(400).body("errors.field", hasItem("llm.apiKeyEnv"));
        }
        given().auth().oauth2(ADMIN).get("/studies/{id}/responders", study).then().statusCode(200).body("$", hasSize(0));
        given().auth().oauth2(ADMIN).contentType(ContentType.JSON)
                .body(llmResponder("allowed-key", "https://api.example.com/v1", "ESRP_TEST_LLM_KEY"))
                .post("/studies/{id}/responders", study).then().statusCode(201);
    }

    @Test
    void endpointsAreHttpsPublicHostsUnlessTheOperatorAllowedTheHostAndNeverMetadataServices() {
        String study = StudyApi.study("endpoints");
        for (String refused : List.of("http://169.254.169.254/latest/meta-data", "https://169.254.169.254/v1", "https://[fe80::1]/v1",
                "https://metadata.google.internal/v1", "http://api.example.com/v1", "https://10.1.2.3/v1", "https://192.168.0.9/v1",
                "https://0.0.0.0/v1", "http://127.0.0.2:8081/v1", "https://user:pw@api.example.com/v1", "ftp://api.example.com/v1")) {
            given().auth().oauth2(ADMIN).contentType(ContentType.JSON).body(llmResponder("r-" + UUID.randomUUID(), refused, null))
                    .post("/studies/{id}/responders", study)
                    .then().statusCode(400).contentType(PROBLEM).body("errors.field", hasItem("llm.baseUrl"));
        }
        given().auth().oauth2(ADMIN).get("/studies/{id}/responders", study).then().body("$", hasSize(0));
        // 127.0.0.1 and localhost are on the %test allow-list, as the local platform's replay endpoint is on its own.
        for (String accepted : List.of("https://api.example.com/v1", "http://127.0.0.1:9/v1", "http://localhost:9/v1")) {
            given().auth().oauth2(ADMIN).contentType(ContentType.JSON).body(llmResponder("r-" + UUID.randomUUID(), accepted, null))
                    .post("/studies/{id}/responders", study).then().statusCode(201);
        }
    }

    private static Map<String, Object> llmResponder(String name, String baseUrl, String apiKeyEnv) {
        Map<String, Object> llm = new java.util.HashMap<>(Map.of("baseUrl", baseUrl, "modelName", "m"));
        if (apiKeyEnv != null) {
            llm.put("apiKeyEnv", apiKeyEnv);
        }
        return Map.of("name", name, "kind", "LLM", "llm", llm);
    }
}
