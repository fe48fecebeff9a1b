package org.esrp.metrics.diversity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The diversity measures on the released ChatAnime answers: the paper reports that human fans lead on
 * (human-rated) response diversity, and the automatic measure should agree.
 */
class ChatAnimeDiversityTest {

    private static final int RESPONDERS = 11;
    private static final int CHARACTERS = 20;
    private static final int DIALOGUES_PER_CHARACTER = 60;

    /** responder -> character -> that responder's answers for that character, both rounds */
    private static Map<String, Map<String, List<String>>> answers;

    @BeforeAll
    static void load() throws IOException {
        Path dir = dataDir();
        assertTrue(Files.isDirectory(dir), "ChatAnime data not found at " + dir
                + " (set system property esrp.data.dir)");
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        assertEquals(RESPONDERS, files.size(), "responder files in " + dir);

        ObjectMapper mapper = new ObjectMapper();
        answers = new LinkedHashMap<>();
        for (Path file : files) {
            String responder = file.getFileName().toString().replaceFirst("\\.json$", "");
            JsonNode root = mapper.readTree(file.toFile());
            assertEquals(CHARACTERS, root.size(), responder + ": characters");
            Map<String, List<String>> byCharacter = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> character : root.properties()) {
                assertEquals(DIALOGUES_PER_CHARACTER, character.getValue().size(), responder + " / " + character.getKey());
                List<String> texts = new ArrayList<>();
                for (JsonNode dialogue : character.getValue()) {
                    for (String field : List.of("answer_r1", "answer_r2")) {
                        JsonNode answer = dialogue.get(field);
                        assertTrue(answer != null && answer.isTextual(), responder + " / " + character.getKey() + ": " + field);
                        texts.add(answer.asText());
                    }
                }
                byCharacter.put(character.getKey(), texts);
            }
            answers.put(responder, byCharacter);
        }
    }

    // Surefire runs with the module as working directory, so without the property (say, from an IDE)
    // the shared data folder is found from metrics-service as ../../shared.
    private static Path dataDir() {
        String configured = System.getProperty("esrp.data.dir");
        Path dir = configured == null || configured.isBlank()
                ? Path.of("../../shared/data/chatanime")
                : Path.of(configured);
        return dir.toAbsolutePath().normalize();
    }

    @Test
    void humanFansHaveTheHighestMeanDistinct2() {
        // Per character first, then averaged, so that each character weighs the same and a responder
        // is not rewarded merely for varying between characters, which any role-player does.
        Map<String, double[]> scores = new LinkedHashMap<>();
        answers.forEach((responder, byCharacter) -> {
            double d1 = 0;
            double d2 = 0;
            for (List<String> texts : byCharacter.values()) {
                d1 += DistinctN.distinct(texts, 1);
                d2 += DistinctN.distinct(texts, 2);
            }
            scores.put(responder, new double[] {d1 / byCharacter.size(), d2 / byCharacter.size()});
        });

        List<String> ranked = new ArrayList<>(scores.keySet());
        ranked.sort(Comparator.comparingDouble((String r) -> scores.get(r)[1]).reversed());
        StringBuilder table = new StringBuilder("\nMean over 20 characters of per-character distinct-n (code points)\n");
        table.append(String.format(Locale.ROOT, "%-26s %10s %10s%n", "responder", "distinct-1", "distinct-2"));
        for (String responder : ranked) {
            double[] s = scores.get(responder);
            assertTrue(s[0] > 0 && s[0] <= 1 && s[1] > 0 && s[1] <= 1, responder + ": " + s[0] + ", " + s[1]);
            table.append(String.format(Locale.ROOT, "%-26s %10.4f %10.4f%n", responder, s[0], s[1]));
        }
        System.out.print(table);

        assertEquals("human", ranked.get(0), "responder with the highest mean distinct-2");
    }

    @Test
    void selfBleuAgreesWithNltkOnRealAnswers() {
        // Expected values from NLTK 3.8, the library Texygen calls: for each answer,
        // sentence_bleu([list(other) for the other 119 answers], list(answer), (0.25,) * 4,
        // smoothing_function=SmoothingFunction().method1), averaged over the 120 answers. NLTK skips
        // smoothing when no unigram matches; no answer here is in that case, so the two must agree.
        String luffy = "《海贼王》的蒙奇·D·路飞";
        assertEquals(0.301765611375195, SelfBleu.selfBleu(answers.get("human").get(luffy), 4), 1e-12);
        assertEquals(0.556707983393157, SelfBleu.selfBleu(answers.get("deepseek-v3").get(luffy), 4), 1e-12);
    }

    @Test
    void selfBleu4PerResponder() {
        long start = System.nanoTime();
        Map<String, Double> scores = new LinkedHashMap<>();
        answers.forEach((responder, byCharacter) -> {
            double sum = 0;
            for (List<String> texts : byCharacter.values()) {
                sum += SelfBleu.selfBleu(texts, 4);
            }
            scores.put(responder, sum / byCharacter.size());
        });
        double seconds = (System.nanoTime() - start) / 1e9;

        List<String> ranked = new ArrayList<>(scores.keySet());
        ranked.sort(Comparator.comparingDouble(scores::get));
        StringBuilder table = new StringBuilder("\nMean over 20 characters of per-character self-BLEU-4 (code points; lower = more diverse)\n");
        table.append(String.format(Locale.ROOT, "%-26s %11s%n", "responder", "self-BLEU-4"));
        for (String responder : ranked) {
            double s = scores.get(responder);
            assertTrue(s > 0 && s < 1, responder + ": " + s);
            table.append(String.format(Locale.ROOT, "%-26s %11.4f%n", responder, s));
        }
        table.append(String.format(Locale.ROOT, "self-BLEU-4 for %d responders x %d characters x %d answers: %.2f s%n",
                scores.size(), CHARACTERS, 2 * DIALOGUES_PER_CHARACTER, seconds));
        System.out.print(table);
    }
}
