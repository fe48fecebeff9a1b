package org.esrp.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.restassured.http.ContentType;
import org.esrp.local.ChromiumBrowser;
import org.esrp.local.FakeLlmServer;
import io.restassured.response.Response;
import org.esrp.local.KafkaBroker;
import org.esrp.local.LocalInfra;
import org.esrp.local.PostgresServer;
import org.esrp.local.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three packaged services on one real PostgreSQL and one real Kafka broker: answers imported into
 * generation-service reach annotation-service as rating tasks; a rating submitted there moves metrics-service's
 * leaderboard, and the leaderboard page open in a browser shows it; a restarted metrics-service rebuilds the same
 * leaderboard from the topics.
 */
class PlatformFlowIT {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String ADMIN = "Bearer e2e-admin-token";
    /** The leaderboard row of the human fans, pooled (metrics-service's LeaderboardService.HUMAN_FANS). */
    static final String HUMAN_FANS = "human fans";
    static ServiceProcess generation;
    static ServiceProcess annotation;
    static ServiceProcess metrics;
    static Map<String, String> metricsEnv;

    @BeforeAll
    static void start() throws Exception {
        PostgresServer postgres = LocalInfra.postgres();
        KafkaBroker kafka = LocalInfra.kafka();
        generation = new ServiceProcess("generation-service", env(postgres, kafka, "generation")).start();
        Map<String, String> annotationEnv = env(postgres, kafka, "annotation");
        // the LLM judge of the judge test is the local fake endpoint
        annotationEnv.put("ESRP_ANNOTATION_JUDGES_ENDPOINT_HOSTS_ALLOWED", "127.0.0.1");
        annotation = new ServiceProcess("annotation-service", annotationEnv).start();
        metricsEnv = env(postgres, kafka, "metrics");
        metrics = new ServiceProcess("metrics-service", metricsEnv).start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (ServiceProcess service : new ServiceProcess[]{metrics, annotation, generation}) {
            if (service != null) {
                service.close();
            }
        }
    }

    static Map<String, String> env(PostgresServer postgres, KafkaBroker kafka, String database) {
        return ServiceProcess.infrastructure(postgres, kafka, database, "e2e-admin-token");
    }

    @Test
    void aRatingSubmittedToAnnotationServiceMovesTheLeaderboardAndARestartRebuildsItExactly() throws Exception {
        String study = importedStudy("e2e-");
        String character = characterOf(study);

        List<String> deepseekAnswers = roundOneAnswers("deepseek-v3.json", 3);
        String first = annotator("first", character);
        awaitDialogueItems(study, 6);
        Map<String, String> deepseekTaskIds = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            Response task = next(first, study);
            assertEquals(200, task.statusCode(), "six dialogues to rate");
            boolean deepseek = deepseekAnswers.contains(task.<String>path("rounds[0].answer"));
            rate(first, task.path("taskId"), task.path("rubric.key"), deepseek ? 4 : 3);
        }
        assertEquals(204, next(first, study).statusCode());

        await().atMost(Duration.ofSeconds(60)).until(() -> ratingsOnLeaderboard(study) == 6);
        JsonNode before = leaderboard(study);
        double deepseekBefore = overall(before, "deepseek-v3");
        assertEquals(4.0, deepseekBefore, 1e-12);
        // the fans are one row of the leaderboard: the human fans
        assertEquals(3.0, overall(before, HUMAN_FANS), 1e-12);

        // the leaderboard page, open in a real browser while the next rating comes in
        Playwright playwright = null;
        Page page = null;
        if (Files.isExecutable(ChromiumBrowser.EXECUTABLE) || "true".equals(System.getenv("CI"))) {
            playwright = ChromiumBrowser.playwright();
            page = ChromiumBrowser.launch(playwright, ChromiumBrowser.requireExecutable()).newPage();
            page.navigate(metrics.url() + "/leaderboard/?study=" + study + "#token=e2e-admin-token");
            assertThat(page.locator("#leaderboard tbody tr[data-responder=\"deepseek-v3\"] .overall-mean")).hasText("4.00");
        }
        try {
            // a second annotator rates one more dialogue, all fives
            String second = annotator("second", character);
            Response task = next(second, study);
            boolean deepseek = deepseekAnswers.contains(task.<String>path("rounds[0].answer"));
            rate(second, task.path("taskId"), task.path("rubric.key"), 5);
            await().atMost(Duration.ofSeconds(30)).until(() -> ratingsOnLeaderboard(study) == 7);
            JsonNode after = leaderboard(study);
            String moved = deepseek ? "deepseek-v3" : HUMAN_FANS;
            assertNotEquals(overall(before, moved), overall(after, moved), "the leaderboard moved");
            // the rated dialogue's score is now (old + 5) / 2; the responder's mean is over its three dialogues
            double expected = deepseek ? (4 + 4 + (4 + 5) / 2.0) / 3 : (3 + 3 + (3 + 5) / 2.0) / 3;
            assertEquals(expected, overall(after, moved), 1e-12);
            if (page != null) {
                assertThat(page.locator("#leaderboard tbody tr[data-responder=\"" + moved + "\"] .overall-mean"))
                        .hasText(String.format(java.util.Locale.ROOT, "%.2f", expected));
                Path screenshot = Path.of("target", "screenshots", "leaderboard-after-rating.png");
                Files.createDirectories(screenshot.getParent());
                page.screenshot(new Page.ScreenshotOptions().setPath(screenshot).setFullPage(true));
            }
        } finally {
            if (playwright != null) {
                playwright.close();
            }
        }

        // automatic diversity, the in-JVM embedding model's dispersion included, with no rating needed
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            JsonNode rows = MAPPER.readTree(given().baseUri(metrics.url()).header("Authorization", ADMIN).get("/studies/{id}/diversity", study).then().extract().asString());
            int complete = 0;
            for (JsonNode row : rows) {
                double dispersion = row.path("embeddingDispersion").asDouble(Double.NaN);
                if (row.path("distinct2").asDouble() > 0 && dispersion > 0 && dispersion < 2) {
                    complete++;
                }
            }
            return complete == 2;
        });

        String live = given().baseUri(metrics.url()).header("Authorization", ADMIN).get("/studies/{id}/leaderboard", study).then().extract().asString();
        metrics.close();
        metrics = new ServiceProcess("metrics-service", metricsEnv).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> ratingsOnLeaderboard(study) == 7);
        String rebuilt = given().baseUri(metrics.url()).header("Authorization", ADMIN).get("/studies/{id}/leaderboard", study).then().extract().asString();
        assertEquals(live, rebuilt, "a restart rebuilds a byte-identical leaderboard from the topics");
    }

    /**
     * An LLM judge beside two annotators, through the three packaged services and the broker. The annotators give every
     * deepseek-v3 dialogue 4 and every fan's 2; the judge (the fake endpoint) gives 5 and 1. By hand: per dialogue the
     * judge orders the dialogues as the humans' mean does, with the same ties, so Spearman's rho is 1; it ranks the two
     * responders as the humans do, so Kendall's tau-b is 1; the humans agree perfectly (alpha 1) and the judge, one
     * point off on every dialogue, lowers it. The HUMAN leaderboard does not move.
     */
    @Test
    void anLlmJudgeRatesTheStudyBlindAndMetricsServiceShowsHowFarItAgreesWithTheHumans() throws Exception {
        String study = importedStudy("e2e-judge-");
        String character = characterOf(study);
        List<String> deepseekAnswers = roundOneAnswers("deepseek-v3.json", 3);
        awaitDialogueItems(study, 6);
        for (String name : List.of("judge-e2e-a", "judge-e2e-b")) {
            String token = annotator(name, character);
            for (int i = 0; i < 6; i++) {
                Response task = next(token, study);
                assertEquals(200, task.statusCode());
                rate(token, task.path("taskId"), task.path("rubric.key"), deepseekAnswers.contains(task.<String>path("rounds[0].answer")) ? 4 : 2);
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> ratingsOnLeaderboard(study) == 12);
        JsonNode humansBefore = leaderboard(study);

        try (FakeLlmServer llm = new FakeLlmServer()) {
            String model = "e2e-judge-" + study;
            llm.answerWith(model, request -> {
                boolean deepseek = deepseekAnswers.stream().anyMatch(answer -> request.path("messages").toString().contains(
                        MAPPER.valueToTree(answer).toString().replaceAll("^\"|\"$", "")));
                Map<String, Integer> scores = new HashMap<>();
                org.esrp.events.Rubric.DIALOGUE.forEach(metric -> scores.put(metric.key(), deepseek ? 5 : 1));
                try {
                    return MAPPER.writeValueAsString(Map.of("scores", scores));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            String judge = given().baseUri(annotation.url()).header("Authorization", ADMIN).contentType(ContentType.JSON)
                    .body(Map.of("name", "e2e judge", "llm", Map.of("baseUrl", llm.baseUrl(), "modelName", model, "maxConcurrency", 2)))
                    .post("/studies/{id}/judges", study).then().statusCode(201).extract().path("id");
            String run = given().baseUri(annotation.url()).header("Authorization", ADMIN).post("/studies/{s}/judges/{j}/runs", study, judge)
                    .then().statusCode(201).extract().path("id");
            await().atMost(Duration.ofSeconds(60)).until(() -> "COMPLETED".equals(given().baseUri(annotation.url()).header("Authorization", ADMIN)
                    .get("/studies/{s}/judges/{j}/runs/{r}", study, judge, run).then().extract().path("status")));
            assertEquals(6, llm.received(model).size());

            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Response judged = given().baseUri(metrics.url()).header("Authorization", ADMIN).queryParam("raterKind", "LLM_JUDGE")
                        .get("/studies/{id}/leaderboard", study);
                return judged.statusCode() == 200 && judged.<List<Integer>>path("groups[0].rows.ratings").stream().mapToInt(Integer::intValue).sum() == 6;
            });
            JsonNode agreement = MAPPER.readTree(given().baseUri(metrics.url()).header("Authorization", ADMIN)
                    .get("/studies/{id}/judges/agreement", study).then().statusCode(200).extract().asString());
            int rows = 0;
            for (JsonNode row : agreement.isArray() ? agreement : agreement.path("rows")) {
                assertEquals(judge, row.path("judgeId").asText(), row.toString());
                assertEquals(model, row.path("judgeModel").asText(), row.toString());
                assertEquals(6, row.path("items").asInt(), row.toString());
                assertEquals(1.0, row.path("spearman").asDouble(), 1e-12, row.toString());
                assertEquals(1.0, row.path("kendallTau").asDouble(), 1e-12, row.toString());
                assertEquals(1.0, row.path("alphaHumansInterval").asDouble(), 1e-12, row.toString());
                assertTrue(row.path("alphaWithJudgeInterval").asDouble() < 1.0, row.toString());
                rows++;
            }
            assertEquals(org.esrp.events.Rubric.DIALOGUE.size(), rows, agreement.toString());
            JsonNode humansAfter = leaderboard(study);
            assertEquals(overall(humansBefore, "deepseek-v3"), overall(humansAfter, "deepseek-v3"), 0.0, "the HUMAN leaderboard does not move");
            assertEquals(overall(humansBefore, HUMAN_FANS), overall(humansAfter, HUMAN_FANS), 0.0);
        }
    }

    /** A study with the first 3 dialogues of the first character from the fans' and deepseek-v3's files. */
    private static String importedStudy(String namePrefix) throws Exception {
        String study = given().baseUri(generation.url()).header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", namePrefix + UUID.randomUUID())).post("/studies").then().statusCode(201).extract().path("id");
        for (String responder : List.of("human", "deepseek-v3")) {
            given().baseUri(generation.url()).header("Authorization", ADMIN).contentType(ContentType.JSON).body(subset(responder + ".json", 3))
                    .post("/studies/{id}/imports/chatanime?responder={r}&kind={k}", study, responder, responder.equals("human") ? "HUMAN" : "LLM")
                    .then().statusCode(201);
        }
        return study;
    }

    private static String characterOf(String study) {
        return given().baseUri(generation.url()).header("Authorization", ADMIN).get("/studies/{id}/characters", study).then().extract().path("[0].id");
    }

    /** 404 until annotation-service has the study's first answers. */
    private static void awaitDialogueItems(String study, int items) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Response progress = given().baseUri(annotation.url()).header("Authorization", ADMIN).get("/studies/{id}/progress", study);
            return progress.statusCode() == 200 && progress.<Integer>path("dialogueItems") == items;
        });
    }

    private static String annotator(String name, String character) {
        return given().baseUri(annotation.url()).header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("displayName", name, "characterIds", List.of(character)))
                .post("/annotators").then().statusCode(201).extract().path("token");
    }

    private static Response next(String token, String study) {
        return given().baseUri(annotation.url()).header("Authorization", "Bearer " + token).queryParam("study", study).get("/tasks/next");
    }

    private static void rate(String token, String taskId, List<String> metrics, int score) {
        Map<String, Integer> scores = new HashMap<>();
        metrics.forEach(m -> scores.put(m, score));
        given().baseUri(annotation.url()).header("Authorization", "Bearer " + token).header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON).body(Map.of("scores", scores, "durationMs", 40_000))
                .post("/tasks/{id}/ratings", taskId).then().statusCode(201);
    }

    private static int ratingsOnLeaderboard(String study) {
        Response response = given().baseUri(metrics.url()).header("Authorization", ADMIN).get("/studies/{id}/leaderboard", study);
        if (response.statusCode() != 200) {
            return -1;
        }
        List<Integer> ratings = response.path("groups[0].rows.ratings");
        return ratings.stream().mapToInt(Integer::intValue).sum();
    }

    private static JsonNode leaderboard(String study) throws Exception {
        return MAPPER.readTree(given().baseUri(metrics.url()).header("Authorization", ADMIN).get("/studies/{id}/leaderboard", study).then().statusCode(200).extract().asString());
    }

    private static double overall(JsonNode board, String responder) {
        for (JsonNode row : board.path("groups").path(0).path("rows")) {
            if (responder.equals(row.path("responderName").asText())) {
                return row.path("overall").path("mean").asDouble();
            }
        }
        throw new AssertionError(responder + " is not on the leaderboard: " + board);
    }

    /** The first {@code dialogues} dialogues of the first character of a ChatAnime file. */
    static String subset(String file, int dialogues) throws Exception {
        JsonNode all = MAPPER.readTree(dataDir().resolve(file).toFile());
        String character = all.fieldNames().next();
        ObjectNode subset = MAPPER.createObjectNode();
        ArrayNode list = subset.putArray(character);
        for (int i = 0; i < dialogues; i++) {
            list.add(all.get(character).get(i));
        }
        return MAPPER.writeValueAsString(subset);
    }

    private static List<String> roundOneAnswers(String file, int dialogues) throws Exception {
        JsonNode first = MAPPER.readTree(dataDir().resolve(file).toFile()).elements().next();
        List<String> answers = new java.util.ArrayList<>();
        for (int i = 0; i < dialogues; i++) {
            answers.add(first.get(i).path("answer_r1").asText());
        }
        return answers;
    }

    private static Path dataDir() {
        return Path.of(System.getProperty("esrp.data.dir", "../../../shared/data/chatanime"));
    }
}
