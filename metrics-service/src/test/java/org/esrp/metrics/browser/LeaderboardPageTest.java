package org.esrp.metrics.browser;

import org.esrp.local.ChromiumBrowser;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.esrp.local.LocalInfraResource;
import org.esrp.metrics.browser.StudyTopicsWriter.Dialogue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leaderboard page in a real (headless) Chromium against the real service and a real Kafka broker: answers and
 * ratings of a small study go onto the topics, the page shows the leaderboard, the human baseline and both charts,
 * and when one more rating arrives the page's numbers change by themselves, without a reload.
 *
 * <p>The study: one character, three scenarios, two responders (the fans, HUMAN "human", and the LLM "model-x"),
 * each of the six dialogues rated once. Scores, with a dialogue's overall the mean of its nine metrics:
 * <pre>
 *   model-x  scenario 0: all 3                          overall 3
 *            scenario 1: all 4                          overall 4
 *            scenario 2: 5 4 5 | 3 2 3 | 4 2 4          overall 32/9
 *   human    scenarios 0, 1, 2: all 4, all 3, all 4     overalls 4, 3, 4
 * </pre>
 * model-x's overall mean is (3 + 4 + 32/9) / 3 = 3.5185 (shown 3.52), the fans' 11/3 = 3.67, so the fans rank first.
 * A second rater then gives model-x's scenario-0 dialogue all 5s: that dialogue's metric means become (3 + 5) / 2 = 4,
 * its overall 4, and model-x's overall mean (4 + 4 + 32/9) / 3 = 3.8519 (shown 3.85), now first.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "metrics"))
class LeaderboardPageTest {

    private static final String CHARACTER_NAME = "《银魂》的坂田银时";
    private static final String MODEL = "model-x";
    private static final String HUMAN = "human";
    private static final String HUMAN_FANS = org.esrp.metrics.service.LeaderboardService.HUMAN_FANS;

    private static final double MODEL_BEFORE = (3 + 4 + 32.0 / 9) / 3;
    private static final double MODEL_AFTER = ((3 + 5) / 2.0 + 4 + 32.0 / 9) / 3;
    private static final double HUMAN_OVERALL = (4 + 3 + 4) / 3.0;

    private static final String[][] SCENARIOS = {
            {"学生", "焦虑", "明天就要期末考试了，我一点都没复习，好慌。"},
            {"上班族", "失落", "今天被老板当着大家的面批评了，好难受。"},
            {"高中生", "孤独", "转学以后一个朋友都没有，午饭总是一个人吃。"},
    };
    private static final String[][] MODEL_ANSWERS = {
            {"慌什么，阿银我当年也是考前一晚才翻书的。先吃根香蕉冷静一下，把重点划出来，能背多少是多少。",
                    "别一个人硬撑着，实在不行就去找新八借笔记吧，那家伙的笔记比他的眼镜还整齐。"},
            {"被骂几句算什么，我每个月都被房东婆婆追着要房租。今晚喝瓶草莓牛奶，明天照样上班。",
                    "老板那种人啊，嘴上凶，心里其实也怕事情搞砸。你把活干漂亮了，他自然就闭嘴了。"},
            {"一个人吃饭也没什么不好，没人跟你抢最后一块炸鸡。不过要是想交朋友，先从借橡皮开始吧。",
                    "万事屋的大门随时开着，神乐那丫头整天嚷着没人陪她玩，你来了正好凑一桌。"},
    };
    private static final String[][] HUMAN_ANSWERS = {
            {"哎呀，临时抱佛脚也是一种武士道。今晚别熬太晚，挑三道最常考的题做透就行。",
                    "考砸了也死不了人，阿银我连毕业证都不知道丢哪儿去了，不照样活得好好的。"},
            {"被说两句就当耳边风吧，反正工资照发。下班去居酒屋，我请客……算了，你请。",
                    "真正的武士不会因为一句批评就折断自己的刀，明天挺直腰板去上班。"},
            {"孤独这种东西，阿银我熟得很。可你看，后来不还是被一群麻烦的家伙缠上了吗？",
                    "下次午饭的时候，试着问问旁边的人要不要一起吃，说不定对方也在等这句话。"},
    };

    private static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    private static final Path SCREENSHOT = SCREENSHOTS.resolve("leaderboard-page.png");
    private static final Path FAILURE_SCREENSHOT = SCREENSHOTS.resolve("leaderboard-page-failure.png");

    /** Draws the chart's canvas onto a fresh one and counts its non-transparent pixels (0 without a canvas). */
    private static final String PAINTED_PIXELS = """
            selector => {
              const canvas = document.querySelector(selector + ' canvas');
              if (!canvas || canvas.width === 0 || canvas.height === 0) return 0;
              const copy = document.createElement('canvas');
              copy.width = canvas.width;
              copy.height = canvas.height;
              const context = copy.getContext('2d');
              context.drawImage(canvas, 0, 0);
              const data = context.getImageData(0, 0, copy.width, copy.height).data;
              let painted = 0;
              for (let i = 3; i < data.length; i += 4) {
                if (data[i] !== 0) painted++;
              }
              return painted;
            }""";

    /** The names of the radar chart's polygons, as ECharts holds them (null before the chart exists). */
    private static final String RADAR_POLYGONS = """
            () => {
              const chart = window.echarts && echarts.getInstanceByDom(document.getElementById('radar'));
              if (!chart) return null;
              const series = chart.getOption().series;
              return series && series.length ? series[0].data.map(d => d.name).sort() : [];
            }""";

    private final UUID study = UUID.randomUUID();
    private final UUID character = UUID.randomUUID();
    private final UUID[] scenarios = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};
    private final UUID human = UUID.randomUUID();
    private final UUID model = UUID.randomUUID();

    @Test
    void thePageFollowsTheRatingsLive() throws Exception {
        Path chromium = ChromiumBrowser.requireExecutable();

        List<ObjectNode> answers = new ArrayList<>();
        List<ObjectNode> ratings = new ArrayList<>();
        Dialogue[] modelDialogues = new Dialogue[3];
        int[][] modelScores = {
                {3, 3, 3, 3, 3, 3, 3, 3, 3},
                {4, 4, 4, 4, 4, 4, 4, 4, 4},
                {5, 4, 5, 3, 2, 3, 4, 2, 4},
        };
        int[][] humanScores = {
                {4, 4, 4, 4, 4, 4, 4, 4, 4},
                {3, 3, 3, 3, 3, 3, 3, 3, 3},
                {4, 4, 4, 4, 4, 4, 4, 4, 4},
        };
        for (int s = 0; s < 3; s++) {
            modelDialogues[s] = dialogue(s, model, MODEL, "LLM");
            Dialogue fans = dialogue(s, human, HUMAN, "HUMAN");
            for (int round = 1; round <= 2; round++) {
                String userMessage = round == 1 ? SCENARIOS[s][2] : "谢谢你，可是我还是有点不安。";
                answers.add(StudyTopicsWriter.answer(modelDialogues[s], round, userMessage, MODEL_ANSWERS[s][round - 1]));
                answers.add(StudyTopicsWriter.answer(fans, round, userMessage, HUMAN_ANSWERS[s][round - 1]));
            }
            ratings.add(StudyTopicsWriter.dialogueRating(modelDialogues[s], new UUID(0, 1), scores(modelScores[s])));
            ratings.add(StudyTopicsWriter.dialogueRating(fans, new UUID(0, 1), scores(humanScores[s])));
        }
        StudyTopicsWriter.publish(StudyTopicsWriter.RESPONSES, answers);
        StudyTopicsWriter.publish(StudyTopicsWriter.RATINGS, ratings);

        List<String> pageErrors = new ArrayList<>();
        List<String> consoleErrors = new ArrayList<>();
        // The first data may take a while (the service's consumers join the topics at start); later changes may not.
        PlaywrightAssertions.setDefaultAssertionTimeout(60_000);
        try (Playwright playwright = ChromiumBrowser.playwright();
             Browser browser = ChromiumBrowser.launch(playwright, chromium);
             BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                     .setViewportSize(1400, 1000)
                     .setLocale("zh-CN"))) {
            context.setDefaultTimeout(60_000);
            Page page = context.newPage();
            page.onPageError(pageErrors::add);
            page.onConsoleMessage(message -> {
                if ("error".equals(message.type())) {
                    consoleErrors.add(message.text());
                }
            });
            try {
                watchTheLeaderboard(page, modelDialogues[0]);
            } catch (AssertionError | RuntimeException e) {
                // Console errors include the 404s of the diversity endpoint before the study's first event: expected.
                e.addSuppressed(new AssertionError(describe(page) + ", page errors: " + pageErrors
                        + ", console errors: " + consoleErrors));
                throw e;
            }
        }
        assertEquals(List.of(), pageErrors, "uncaught errors in the page");
    }

    private void watchTheLeaderboard(Page page, Dialogue ratedAgain) throws Exception {
        page.navigate(RestAssured.baseURI + ":" + RestAssured.port + "/leaderboard/?study=" + study);
        // Unblinded numbers: the page asks for a token before it shows any, and keeps it for the stream.
        assertThat(page.locator("#access")).isVisible();
        assertThat(page.locator("#leaderboard tbody tr[data-responder]")).hasCount(0);
        page.locator("#token-input").fill("wrong-token");
        page.locator("#token-save").click();
        assertThat(page.locator("#access")).isVisible();
        page.locator("#token-input").fill("test-admin-token");
        page.locator("#token-save").click();
        assertThat(page.locator("#access")).isHidden();

        Locator modelRow = page.locator("#leaderboard tbody tr[data-responder=\"" + MODEL + "\"]");
        // the fans are one row, the human fans, on the leaderboard (and one responder each on the diversity table)
        Locator humanRow = page.locator("#leaderboard tbody tr[data-responder=\"" + HUMAN_FANS + "\"]");
        assertThat(modelRow).hasCount(1);
        assertThat(humanRow).hasCount(1);
        // All six ratings arrived: one per dialogue.
        assertThat(modelRow.locator(".ratings")).hasText("3");
        assertThat(humanRow.locator(".ratings")).hasText("3");
        assertThat(modelRow.locator(".dialogues")).hasText("3");
        assertThat(modelRow.locator(".overall-mean")).hasText(twoDecimals(MODEL_BEFORE));
        assertThat(humanRow.locator(".overall-mean")).hasText(twoDecimals(HUMAN_OVERALL));
        assertThat(page.locator("#leaderboard tbody tr[data-responder]").first()).hasAttribute("data-responder", HUMAN_FANS);
        assertThat(modelRow.locator(".pairs-with-humans")).hasText("3");
        // the rank interval from the comparisons view: two responders, so somewhere in 1-2
        assertThat(modelRow.locator(".rank-interval")).hasText(Pattern.compile("^[12](–[12])?$"));
        assertThat(modelRow.locator(".kind-cell")).hasText("LLM");
        assertThat(humanRow.locator(".kind-cell")).hasText("HUMAN");
        assertThat(page.locator("#status")).hasAttribute("data-state", "connected");
        assertThat(page.locator("#updated")).hasText(Pattern.compile("\\d{1,2}:\\d{2}:\\d{2}"));

        // model-x against the fans on the three (character, scenario) pairs: overall and the three dimensions.
        Locator modelAgainstFans = page.locator("#baseline tbody tr[data-responder=\"" + MODEL + "\"]");
        assertThat(modelAgainstFans).hasCount(4);
        assertThat(page.locator("#baseline tbody tr[data-responder=\"" + MODEL + "\"][data-score=\"overall\"] .pairs"))
                .hasText("3");

        // Automatic diversity from the six answers of each responder.
        Pattern measure = Pattern.compile("^\\d\\.\\d{3}$");
        for (String responder : List.of(MODEL, HUMAN)) {
            Locator row = page.locator("#diversity-table tbody tr[data-responder=\"" + responder + "\"]");
            assertThat(row.locator(".distinct1")).hasText(measure);
            assertThat(row.locator(".distinct2")).hasText(measure);
            assertThat(row.locator(".self-bleu")).hasText(measure);
            assertThat(row.locator(".human-rating")).hasText("—"); // no diversity items were rated
        }

        // Both charts drew something, and the radar has one polygon per responder.
        for (String chart : List.of("#radar", "#diversity-chart")) {
            page.waitForFunction(PAINTED_PIXELS, chart, new Page.WaitForFunctionOptions().setTimeout(30_000));
            assertTrue(((Number) page.evaluate(PAINTED_PIXELS, chart)).intValue() > 500,
                    chart + " painted only a few pixels");
        }
        page.waitForFunction("() => { const names = (" + RADAR_POLYGONS + ")(); return names && names.length === 2; }",
                null, new Page.WaitForFunctionOptions().setTimeout(30_000));
        assertEquals(List.of(HUMAN_FANS, MODEL), page.evaluate(RADAR_POLYGONS));

        String before = modelRow.locator(".overall-mean").textContent().trim();
        assertEquals(twoDecimals(MODEL_BEFORE), before);

        // One more rating, from a second annotator on model-x's scenario-0 dialogue. annotation-service is not running
        // in this test: the rating is published on esrp.ratings exactly as annotation-service would publish it.
        page.evaluate("() => { window.esrpSamePage = true; }");
        StudyTopicsWriter.publish(StudyTopicsWriter.RATINGS, List.of(
                StudyTopicsWriter.dialogueRating(ratedAgain, new UUID(0, 2), scores(new int[]{5, 5, 5, 5, 5, 5, 5, 5, 5}))));
        long published = System.nanoTime();

        assertThat(modelRow.locator(".overall-mean")).hasText(twoDecimals(MODEL_AFTER),
                new LocatorAssertions.HasTextOptions().setTimeout(10_000));
        long millis = (System.nanoTime() - published) / 1_000_000;
        assertTrue(millis < 10_000, "the change showed after " + millis + " ms");
        assertEquals(true, page.evaluate("() => window.esrpSamePage === true"), "the page was not reloaded");
        assertThat(modelRow.locator(".ratings")).hasText("4");
        assertThat(modelRow.locator(".dialogues")).hasText("3");
        assertThat(humanRow.locator(".overall-mean")).hasText(twoDecimals(HUMAN_OVERALL));
        assertThat(page.locator("#leaderboard tbody tr[data-responder]").first()).hasAttribute("data-responder", MODEL);
        assertThat(modelRow.locator(".rank")).hasText("1");
        assertThat(page.locator("#status")).hasAttribute("data-state", "connected");

        Files.createDirectories(SCREENSHOTS);
        page.waitForTimeout(600); // let the charts' update animation end before the picture
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOT).setFullPage(true));
    }

    private Dialogue dialogue(int scenario, UUID responder, String name, String kind) {
        return new Dialogue(study, UUID.randomUUID(), UUID.randomUUID(), character, CHARACTER_NAME, scenarios[scenario],
                SCENARIOS[scenario][0], SCENARIOS[scenario][1], responder, name, kind);
    }

    private static Map<String, Integer> scores(int[] values) {
        Map<String, Integer> scores = new LinkedHashMap<>();
        for (int i = 0; i < StudyTopicsWriter.METRICS.size(); i++) {
            scores.put(StudyTopicsWriter.METRICS.get(i), values[i]);
        }
        return scores;
    }

    private static String twoDecimals(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** What the page showed when the test failed, with a screenshot of it. */
    private static String describe(Page page) {
        try {
            Files.createDirectories(SCREENSHOTS);
            page.screenshot(new Page.ScreenshotOptions().setPath(FAILURE_SCREENSHOT).setFullPage(true));
            return "status " + page.locator("#status").getAttribute("data-state")
                    + ", updated " + page.locator("#updated").textContent()
                    + ", leaderboard rows " + page.locator("#leaderboard tbody tr").allInnerTexts()
                    + ", message: " + page.locator("#message").textContent()
                    + ", screenshot: " + FAILURE_SCREENSHOT.toAbsolutePath();
        } catch (IOException | RuntimeException e) {
            return "page state unknown (" + e + ")";
        }
    }
}
