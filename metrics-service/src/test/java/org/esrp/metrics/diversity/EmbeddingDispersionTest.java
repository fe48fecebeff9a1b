package org.esrp.metrics.diversity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

// The hand-made cases are worked out in the comments, not taken from the code under test. The model
// cases check thresholds that bge-small-zh-v1.5 clears by a wide margin (cosine 0.887 for the
// paraphrase pair, 0.225 for the unrelated pairs), so they fail on a broken pipeline, not on a
// rounding change.
class EmbeddingDispersionTest {

    private static final String SAD = "我今天很难过，因为考试没考好。";
    private static final String SAD_PARAPHRASE = "这次考试没考好，我今天心情很低落。";
    private static final String HOTPOT = "火锅是四川的特色美食。";

    private static final double EPS = 1e-12;

    private static EmbeddingDispersion model;

    @BeforeAll
    static void load() {
        long heapBefore = usedHeapAfterGc();
        long rssBefore = residentKiB();
        long start = System.nanoTime();
        model = new EmbeddingDispersion();
        double seconds = (System.nanoTime() - start) / 1e9;
        long heapAfter = usedHeapAfterGc();
        long rssAfter = residentKiB();
        System.out.printf(Locale.ROOT, "%nbge-small-zh-v1.5 (q) load: %.2f s; JVM used heap after load (after GC): %.1f MiB"
                        + " (%.1f MiB before); process RSS: %s%n",
                seconds, heapAfter / 1048576.0, heapBefore / 1048576.0,
                rssAfter < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MiB (%.0f MiB before)", rssAfter / 1024.0, rssBefore / 1024.0));
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    // ---- the model -------------------------------------------------------------------------------

    @Test
    void paraphrasesAreCloseAndUnrelatedTextIsFar() {
        float[][] v = model.embed(List.of(SAD, SAD_PARAPHRASE, HOTPOT));
        assertEquals(3, v.length);
        for (float[] e : v) {
            assertEquals(EmbeddingDispersion.DIMENSIONS, e.length);
            assertEquals(1.0, Math.sqrt(dot(e, e)), 1e-6, "unit length");
        }
        double paraphrase = dot(v[0], v[1]);
        double unrelated1 = dot(v[0], v[2]);
        double unrelated2 = dot(v[1], v[2]);
        System.out.printf(Locale.ROOT, "cosine: paraphrase %.4f, unrelated %.4f / %.4f%n", paraphrase, unrelated1, unrelated2);
        assertTrue(paraphrase > 0.8, "paraphrase cosine " + paraphrase);
        assertTrue(unrelated1 < 0.6, "unrelated cosine " + unrelated1);
        assertTrue(unrelated2 < 0.6, "unrelated cosine " + unrelated2);
    }

    @Test
    void identicalTextsHaveNoDispersion() {
        double d = EmbeddingDispersion.dispersion(model.embed(List.of(SAD, SAD, SAD)));
        assertTrue(d >= 0 && d < 1e-6, "dispersion of three identical texts: " + d);
    }

    @Test
    void anUnrelatedTextRaisesDispersion() {
        float[][] v = model.embed(List.of(SAD, SAD_PARAPHRASE, HOTPOT));
        double pair = EmbeddingDispersion.dispersion(Arrays.copyOf(v, 2));
        double triple = EmbeddingDispersion.dispersion(v);
        System.out.printf(Locale.ROOT, "dispersion: {A, B} %.4f, {A, B, unrelated} %.4f%n", pair, triple);
        assertTrue(triple > pair, triple + " should exceed " + pair);
        // and they are the definition applied to the model's own vectors
        assertEquals(1 - dot(v[0], v[1]), pair, 1e-6);
        assertEquals((3 - dot(v[0], v[1]) - dot(v[0], v[2]) - dot(v[1], v[2])) / 3, triple, 1e-6);
    }

    @Test
    void embedKeepsOrderAndRejectsWhatItCannotEmbed() {
        float[][] forward = model.embed(List.of(SAD, HOTPOT));
        float[][] backward = model.embed(List.of(HOTPOT, SAD));
        assertEquals(1.0, dot(forward[0], backward[1]), 1e-5);
        assertEquals(1.0, dot(forward[1], backward[0]), 1e-5);
        assertEquals(1.0, dot(forward[0], model.embed(List.of(SAD))[0]), 1e-5, "a batch of one");

        assertEquals(0, model.embed(List.of()).length);
        assertThrows(IllegalArgumentException.class, () -> model.embed(List.of(SAD, " \n")));
        assertThrows(NullPointerException.class, () -> model.embed(Arrays.asList(SAD, null)));
    }

    @Test
    void furtherInstancesShareTheLoadedModelAndCloseStopsThem() {
        long start = System.nanoTime();
        EmbeddingDispersion second = new EmbeddingDispersion();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 1, "a second instance should not load the model again: " + seconds + " s");
        assertEquals(1.0, dot(second.embed(List.of(SAD))[0], model.embed(List.of(SAD))[0]), 1e-5);
        second.close();
        second.close();
        assertThrows(IllegalStateException.class, () -> second.embed(List.of(SAD)));
    }

    @Test
    void theSessionOnTheCallingThreadEmbedsAsLangChain4jsOwnModelDoes() throws IOException {
        // the same model and tokenizer in ONNX Runtime's default session (per-session thread pool): the reference
        List<String> answers = firstHumanAnswers(8);
        var reference = new dev.langchain4j.model.embedding.onnx.bgesmallzhv15q.BgeSmallZhV15QuantizedEmbeddingModel();
        float[][] ours = model.embed(answers);
        for (int i = 0; i < answers.size(); i++) {
            float[] theirs = reference.embed(answers.get(i)).content().vector();
            double norm = Math.sqrt(dot(theirs, theirs));
            for (int k = 0; k < theirs.length; k++) {
                assertEquals(theirs[k] / norm, ours[i][k], 1e-5, "answer " + i + ", dimension " + k);
            }
        }
    }

    @Test
    void throughputOnRealHumanAnswers() throws IOException {
        List<String> answers = firstHumanAnswers(40);
        model.embed(answers.subList(0, 4)); // warm-up

        long start = System.nanoTime();
        float[][] v = model.embed(answers);
        double seconds = (System.nanoTime() - start) / 1e9;

        assertEquals(40, v.length);
        double meanLength = answers.stream().mapToInt(a -> a.codePointCount(0, a.length())).average().orElseThrow();
        double d = EmbeddingDispersion.dispersion(v);
        System.out.printf(Locale.ROOT, "embedded 40 human answers (mean %.0f characters) in %.2f s: %.1f sentences/s on %d"
                        + " processors; their dispersion %.4f%n",
                meanLength, seconds, 40 / seconds, Runtime.getRuntime().availableProcessors(), d);
        assertTrue(d > 0 && d < 1, "dispersion of real answers: " + d);
    }

    // ---- the formula, on hand-made vectors --------------------------------------------------------

    @Test
    void orthogonalUnitVectorsAreOneApart() {
        // cos = 0 -> distance 1, for every pair
        assertEquals(1.0, EmbeddingDispersion.dispersion(new float[][] {{1, 0}, {0, 1}}), EPS);
        assertEquals(1.0, EmbeddingDispersion.dispersion(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}), EPS);
    }

    @Test
    void oppositeVectorsAreTwoApart() {
        // cos = -1 -> distance 2
        assertEquals(2.0, EmbeddingDispersion.dispersion(new float[][] {{0, 1}, {0, -1}}), EPS);
    }

    @Test
    void identicalVectorsAreZeroApart() {
        // cos = 1 -> distance 0 (up to double rounding), whatever the length; (6, 8) = 10 * (0.6, 0.8)
        assertEquals(0.0, EmbeddingDispersion.dispersion(new float[][] {{0.6f, 0.8f}, {0.6f, 0.8f}, {6, 8}}), 1e-15);
        assertEquals(0.0, EmbeddingDispersion.dispersion(new float[][] {{0.1f, 0.2f, 0.3f}, {0.1f, 0.2f, 0.3f}}), 1e-15);
    }

    @Test
    void handComputedMeanOverAllPairs() {
        // e1, e2, -e1: pairs (e1, e2) 1, (e1, -e1) 2, (e2, -e1) 1 -> (1 + 2 + 1) / 3 = 4/3
        assertEquals(4.0 / 3, EmbeddingDispersion.dispersion(new float[][] {{1, 0}, {0, 1}, {-1, 0}}), EPS);
        // e1 and (1, 1): cos = 1 / sqrt(2) -> 1 - 0.70710678... = 0.29289321...
        assertEquals(1 - Math.sqrt(0.5), EmbeddingDispersion.dispersion(new float[][] {{1, 0}, {1, 1}}), EPS);
        assertEquals(0.2928932188134524, 1 - Math.sqrt(0.5), 1e-15);
    }

    @Test
    void vectorsNeedNotBeUnitLength() {
        // (3, 4) and (4, 3): dot 24, lengths 5 and 5 -> cos = 24/25 -> distance 1/25 = 0.04
        assertEquals(0.04, EmbeddingDispersion.dispersion(new float[][] {{3, 4}, {4, 3}}), EPS);
        // (2, 0), (0, 5), (-7, 0): the same directions as e1, e2, -e1 -> 4/3
        assertEquals(4.0 / 3, EmbeddingDispersion.dispersion(new float[][] {{2, 0}, {0, 5}, {-7, 0}}), EPS);
    }

    @Test
    void fewerThanTwoVectorsGiveNaN() {
        assertTrue(Double.isNaN(EmbeddingDispersion.dispersion(new float[0][])));
        assertTrue(Double.isNaN(EmbeddingDispersion.dispersion(new float[][] {{1, 0}})));
    }

    @Test
    void rejectsVectorsWithoutADirection() {
        assertThrows(IllegalArgumentException.class, () -> EmbeddingDispersion.dispersion(new float[][] {{1, 0}, {1, 0, 0}}));
        assertThrows(IllegalArgumentException.class, () -> EmbeddingDispersion.dispersion(new float[][] {{1, 0}, {0, 0}}));
        assertThrows(IllegalArgumentException.class, () -> EmbeddingDispersion.dispersion(new float[][] {{}, {}}));
        assertThrows(IllegalArgumentException.class, () -> EmbeddingDispersion.dispersion(new float[][] {{1, 0}, {Float.NaN, 1}}));
        assertThrows(IllegalArgumentException.class,
                () -> EmbeddingDispersion.dispersion(new float[][] {{1, 0}, {Float.POSITIVE_INFINITY, 1}}));
        assertThrows(NullPointerException.class, () -> EmbeddingDispersion.dispersion(new float[][] {{1, 0}, null}));
        assertThrows(NullPointerException.class, () -> EmbeddingDispersion.dispersion(null));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += (double) a[k] * b[k];
        }
        return s;
    }

    /** The first answers of human.json in file order: answer_r1, answer_r2 of each dialogue of the first character. */
    private static List<String> firstHumanAnswers(int count) throws IOException {
        Path file = dataDir().resolve("human.json");
        assertTrue(Files.isRegularFile(file), "ChatAnime data not found at " + file + " (set system property esrp.data.dir)");
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        List<String> answers = new ArrayList<>();
        for (JsonNode dialogues : root) {
            for (JsonNode dialogue : dialogues) {
                for (String field : List.of("answer_r1", "answer_r2")) {
                    if (answers.size() < count) {
                        answers.add(dialogue.get(field).asText());
                    }
                }
            }
        }
        assertEquals(count, answers.size());
        return answers;
    }

    // As in ChatAnimeDiversityTest: surefire passes esrp.data.dir; without it (an IDE) the data folder
    // is found from metrics-service as ../../shared.
    private static Path dataDir() {
        String configured = System.getProperty("esrp.data.dir");
        Path dir = configured == null || configured.isBlank()
                ? Path.of("../../shared/data/chatanime")
                : Path.of(configured);
        return dir.toAbsolutePath().normalize();
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** VmRSS of this process in KiB, or -1 where /proc is not available. */
    private static long residentKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
