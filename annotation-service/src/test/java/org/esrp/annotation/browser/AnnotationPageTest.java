package org.esrp.annotation.browser;

import org.esrp.local.ChromiumBrowser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.esrp.local.LocalInfraResource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An annotator rates a dialogue in the real annotation page, in a real (headless) Chromium, against the real
 * service: the dialogue arrives on Kafka, the page signs in with the annotator's token, shows the Chinese text,
 * takes nine scores from the keyboard and submits with Enter; the admin export then holds exactly that rating.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "annotation"))
class AnnotationPageTest {

    private static final String ADMIN_TOKEN = "test-admin-token";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final List<String> DIALOGUE_METRICS = List.of("fluency", "coherency", "consistency",
            "characterKnowledge", "speechStyle", "behavioralHabit", "demandMatching", "experienceSharing",
            "emotionalValue");

    private static final String ANNOTATOR_NAME = "浏览器测试标注员";
    private static final String CHARACTER_NAME = "《海贼王》的蒙奇·D·路飞";
    private static final String ROUND_1_USER = "期末考试要考口语，我好紧张，怕一开口就忘词。";
    private static final String ROUND_1_ANSWER = "别怕！我当年面对凯多都没退缩，口语考试算什么？把想说的话大声喊出来，伙伴们都会给你加油的！";
    private static final String ROUND_2_USER = "可是我每次一紧张就结巴……";
    private static final String ROUND_2_ANSWER = "结巴也没关系，我说话也常常乱七八糟的嘿嘿。重要的是你想传达的心意，吃饱了肉再去考试，一定没问题！";

    private static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    private static final Path SCREENSHOT = SCREENSHOTS.resolve("annotation-page.png");
    private static final Path FAILURE_SCREENSHOT = SCREENSHOTS.resolve("annotation-page-failure.png");

    @Test
    void annotatorRatesADialogueWithTheKeyboardInABrowser() throws Exception {
        Path chromium = ChromiumBrowser.requireExecutable();

        String study = UUID.randomUUID().toString();
        String character = UUID.randomUUID().toString();
        String dialogueId = UUID.randomUUID().toString();

        JsonPath annotator = given()
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .contentType("application/json")
                .body(MAPPER.writeValueAsBytes(Map.of(
                        "displayName", ANNOTATOR_NAME,
                        "characterIds", List.of(character),
                        "languages", List.of("zh"),
                        "responderIds", List.of())))
                .post("/annotators")
                .then().statusCode(201)
                .extract().jsonPath();
        String annotatorId = annotator.getString("id");
        String token = annotator.getString("token");
        assertTrue(token != null && !token.isBlank(), "the new annotator's token");

        ResponsesTopicWriter.Dialogue dialogue = new ResponsesTopicWriter.Dialogue(study, dialogueId, character,
                CHARACTER_NAME, UUID.randomUUID().toString(), "1", "学生", "焦虑", UUID.randomUUID().toString(),
                "deepseek-v3");
        ResponsesTopicWriter.publish(List.of(
                ResponsesTopicWriter.answer(dialogue, 1, ROUND_1_USER, ROUND_1_ANSWER),
                ResponsesTopicWriter.answer(dialogue, 2, ROUND_2_USER, ROUND_2_ANSWER)));

        // Once both rounds are consumed the dialogue is a rating item. Asking for it leases it to this annotator;
        // the page then gets the same task again (resume).
        JsonPath task = await("the dialogue to become a task for the annotator")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> nextTask(token, study), Objects::nonNull);
        assertEquals("DIALOGUE", task.getString("kind"));
        assertEquals(CHARACTER_NAME, task.getString("character.name"));
        assertEquals(2, task.getList("rounds").size());
        assertEquals(DIALOGUE_METRICS, task.getList("rubric.key", String.class));

        List<String> pageErrors = new ArrayList<>();
        List<String> consoleErrors = new ArrayList<>();
        List<String> ratingPosts = new ArrayList<>();
        PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
        try (Playwright playwright = ChromiumBrowser.playwright();
             Browser browser = ChromiumBrowser.launch(playwright, chromium);
             BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                     .setViewportSize(1280, 1000)
                     .setLocale("zh-CN"))) {
            context.setDefaultTimeout(30_000);
            Page page = context.newPage();
            page.onPageError(pageErrors::add);
            page.onConsoleMessage(message -> {
                if ("error".equals(message.type())) {
                    consoleErrors.add(message.text());
                }
            });
            page.onRequest(request -> {
                if ("POST".equals(request.method()) && request.url().contains("/ratings")) {
                    ratingPosts.add(request.url());
                }
            });
            try {
                rateWithTheKeyboard(page, study, token, task.getString("taskId"));
            } catch (AssertionError | RuntimeException e) {
                e.addSuppressed(new AssertionError(describe(page) + ", page errors: " + pageErrors
                        + ", console errors: " + consoleErrors));
                throw e;
            }
        }
        assertEquals(List.of(), pageErrors, "uncaught errors in the page");
        assertEquals(1, ratingPosts.size(), "the page posted the rating once: " + ratingPosts);

        List<JsonNode> ratings = await("the rating in the study's export")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> exportedRatings(study), list -> !list.isEmpty());
        assertEquals(1, ratings.size(), "ratings of the study: " + ratings);
        JsonNode rating = ratings.get(0);
        assertEquals(annotatorId, rating.path("annotatorId").asText());
        assertEquals("DIALOGUE", rating.path("itemKind").asText());
        assertEquals(dialogueId, rating.path("dialogueId").asText());
        assertEquals(4, rating.path("scores").path("fluency").asInt());
        for (String metric : DIALOGUE_METRICS) {
            assertEquals(4, rating.path("scores").path(metric).asInt(-1), "score of " + metric);
        }
        if (rating.has("durationMs")) {
            assertTrue(rating.get("durationMs").asLong() > 0, "the page measured the time spent: " + rating);
        }
    }

    private static void rateWithTheKeyboard(Page page, String study, String token, String taskId) throws IOException {
        page.navigate(RestAssured.baseURI + ":" + RestAssured.port + "/annotate/?study=" + study);
        page.locator("#token").fill(token);
        page.locator("#sign-in").click();

        Locator taskView = page.locator("#task");
        assertThat(taskView).isVisible();
        assertThat(taskView).hasAttribute("data-task-id", taskId);
        assertThat(page.locator("#annotator-name")).hasText(ANNOTATOR_NAME);
        assertThat(page.locator("#character")).hasText(CHARACTER_NAME);
        assertThat(page.locator("#persona")).hasText("学生");
        assertThat(page.locator("#emotion")).hasText("焦虑");
        assertThat(page.locator("[data-round=\"1\"] .user-message")).containsText(ROUND_1_USER);
        assertThat(page.locator("[data-round=\"1\"] .answer")).containsText(ROUND_1_ANSWER);
        assertThat(page.locator("[data-round=\"2\"] .user-message")).containsText(ROUND_2_USER);
        assertThat(page.locator("[data-round=\"2\"] .answer")).containsText(ROUND_2_ANSWER);
        assertThat(page.locator("[data-metric]")).hasCount(DIALOGUE_METRICS.size());
        for (String metric : DIALOGUE_METRICS) {
            assertThat(page.locator("[data-metric=\"" + metric + "\"]")).isVisible();
        }
        assertThat(page.locator("#progress-done")).hasText("0");
        assertThat(page.locator("#submit")).isDisabled();

        // Each key scores the highlighted metric and moves the highlight on: nine presses rate all nine.
        for (int i = 0; i < DIALOGUE_METRICS.size(); i++) {
            page.keyboard().press("4");
        }
        for (String metric : DIALOGUE_METRICS) {
            assertThat(page.locator("[data-metric=\"" + metric + "\"] input[value=\"4\"]")).isChecked();
        }
        assertThat(page.locator("#submit")).isEnabled();

        Files.createDirectories(SCREENSHOTS);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOT).setFullPage(true));

        page.keyboard().press("Enter");
        assertThat(page.locator("#all-done")).isVisible();
        assertThat(taskView).isHidden();
        assertThat(page.locator("#progress-done")).hasText("1");
        assertThat(page.locator("#progress-remaining")).hasText("0");
    }

    /** What the page showed when the test failed, with a screenshot of it. */
    private static String describe(Page page) {
        try {
            Files.createDirectories(SCREENSHOTS);
            page.screenshot(new Page.ScreenshotOptions().setPath(FAILURE_SCREENSHOT).setFullPage(true));
            return "page state " + page.locator("body").getAttribute("data-state")
                    + ", message: " + page.locator("#message").textContent()
                    + ", screenshot: " + FAILURE_SCREENSHOT.toAbsolutePath();
        } catch (IOException | RuntimeException e) {
            return "page state unknown (" + e + ")";
        }
    }

    /** The annotator's next task, or null while there is none (204). */
    private static JsonPath nextTask(String token, String study) {
        Response response = given()
                .header("Authorization", "Bearer " + token)
                .queryParam("study", study)
                .get("/tasks/next");
        // 404 until the study's first answers arrive, 204 until the dialogue is complete
        if (response.statusCode() == 204 || response.statusCode() == 404) {
            return null;
        }
        assertEquals(200, response.statusCode(), () -> "GET /tasks/next: " + response.asString());
        return response.jsonPath();
    }

    private static List<JsonNode> exportedRatings(String study) {
        String jsonl = new String(given()
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .get("/studies/{id}/ratings.jsonl", study)
                .then().statusCode(200)
                .extract().asByteArray(), StandardCharsets.UTF_8);
        return jsonl.lines().filter(line -> !line.isBlank()).map(AnnotationPageTest::readJson).toList();
    }

    private static JsonNode readJson(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
