package org.esrp.annotation.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.esrp.local.ChromiumBrowser;
import org.esrp.local.LocalInfraResource;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An annotation front end served from another origin calls the API from a real Chromium: the allowed origin (the
 * test profile allows http://127.0.0.1:any port) gets a task and stores a rating through preflighted calls; an origin
 * not in the list is refused by the browser and by the service.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "annotation"))
class CrossOriginFrontEndTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String FRONT_END = "<!doctype html><html><head><meta charset=\"utf-8\"><title>front end</title></head><body>rating app</body></html>";

    // What a front end does: the next task, then its rating. Authorization, Idempotency-Key and a JSON body make
    // both calls preflighted.
    private static final String RATE = """
            async ([api, token, study, scores]) => {
              try {
                const task = await fetch(`${api}/tasks/next?study=${study}`, { headers: { Authorization: `Bearer ${token}` } });
                const body = await task.json();
                const rating = await fetch(`${api}/tasks/${body.taskId}/ratings`, {
                  method: 'POST',
                  headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
                  body: JSON.stringify({ scores, durationMs: 30000 }) });
                return JSON.stringify({ next: task.status, rating: rating.status, ratingId: (await rating.json()).ratingId });
              } catch (e) {
                return JSON.stringify({ blocked: String(e) });
              }
            }""";

    @TestHTTPResource("/")
    URI api;

    @Test
    void aFrontEndOnAnAllowedOriginRatesAndAnyOtherOriginIsRefused() throws Exception {
        Path chromium = ChromiumBrowser.requireExecutable();
        String study = UUID.randomUUID().toString();
        String character = UUID.randomUUID().toString();
        String token = given().header("Authorization", "Bearer test-admin-token").contentType("application/json")
                .body(Map.of("displayName", "跨域标注员", "characterIds", List.of(character), "languages", List.of("zh"),
                        "responderIds", List.of()))
                .post("/annotators").then().statusCode(201).extract().path("token");
        ResponsesTopicWriter.Dialogue dialogue = new ResponsesTopicWriter.Dialogue(study, UUID.randomUUID().toString(),
                character, "《排球少年》的日向翔阳", UUID.randomUUID().toString(), "1", "学生", "焦虑",
                UUID.randomUUID().toString(), "qwen-max");
        ResponsesTopicWriter.publish(List.of(ResponsesTopicWriter.answer(dialogue, 1, "我输了比赛。", "下次一定能赢！"),
                ResponsesTopicWriter.answer(dialogue, 2, "可是我好难过。", "难过就对了，说明你在乎！")));
        await().atMost(Duration.ofSeconds(60)).until(() -> given().header("Authorization", "Bearer test-admin-token")
                .get("/studies/{id}/progress", study).then().extract().<Integer>path("dialogueItems") == 1);

        HttpServer frontEnd = HttpServer.create(new InetSocketAddress(0), 0);
        frontEnd.createContext("/", exchange -> {
            byte[] page = FRONT_END.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        frontEnd.start();
        int port = frontEnd.getAddress().getPort();
        String allowed = "http://127.0.0.1:" + port;
        String other = "http://localhost:" + port;
        String apiBase = api.toString().replaceAll("/$", "");
        Map<String, Integer> scores = Map.of("fluency", 4, "coherency", 4, "consistency", 4, "characterKnowledge", 4,
                "speechStyle", 3, "behavioralHabit", 4, "demandMatching", 5, "experienceSharing", 4, "emotionalValue", 5);
        try (Playwright playwright = ChromiumBrowser.playwright();
             Browser browser = ChromiumBrowser.launch(playwright, chromium);
             BrowserContext context = browser.newContext()) {
            Page page = context.newPage();

            page.navigate(other + "/");
            JsonNode refused = MAPPER.readTree((String) page.evaluate(RATE, List.of(apiBase, token, study, scores)));
            assertEquals("TypeError: Failed to fetch", refused.path("blocked").asText(), refused.toString());

            page.navigate(allowed + "/");
            JsonNode rated = MAPPER.readTree((String) page.evaluate(RATE, List.of(apiBase, token, study, scores)));
            assertEquals(200, rated.path("next").asInt(), rated.toString());
            assertEquals(201, rated.path("rating").asInt(), rated.toString());
            JsonPath export = new JsonPath(given().header("Authorization", "Bearer test-admin-token")
                    .get("/studies/{id}/ratings.jsonl", study).then().statusCode(200).extract().asString());
            assertEquals(rated.path("ratingId").asText(), export.getString("ratingId"), "the rating from the other origin is stored");
        } finally {
            frontEnd.stop(0);
        }

        // The preflight as the browser sent it, answered for the allowed origin and for no other.
        given().header("Origin", allowed).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,idempotency-key")
                .options("/tasks/{id}/ratings", UUID.randomUUID())
                .then().statusCode(200).header("Access-Control-Allow-Origin", equalTo(allowed))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("Idempotency-Key"))
                .header("Access-Control-Allow-Methods", containsStringIgnoringCase("POST"));
        given().header("Origin", other).header("Access-Control-Request-Method", "POST")
                .options("/tasks/{id}/ratings", UUID.randomUUID())
                .then().header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", other).header("Authorization", "Bearer " + token).queryParam("study", study)
                .get("/tasks/next").then().statusCode(403);
    }
}
