package org.esrp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.esrp.events.RatingEvent;
import org.esrp.events.ResponseEvent;
import org.esrp.events.Rubric;
import org.esrp.events.RubricMetric;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The demo study as the benchmarks use it: the ChatAnime dialogues (20 characters x 60 scenarios x 11 responders, both
 * rounds: 26,400 answers) under a study id of its own, and synthetic ratings of its 13,200 dialogues with a planted
 * quality per responder and a planted severity per annotator, scored on the default rubric.
 */
final class SyntheticStudy {

    static final int ANNOTATORS = 500;

    record Dialogue(UUID id, UUID responderId, String responderKind, String model, UUID characterId, String characterName,
                    UUID scenarioId, double quality) {
    }

    // fixed ids, so that a kept broker (BENCH_WORK) holds the same study run after run
    final UUID studyId = UUID.nameUUIDFromBytes("esrp-bench/demo-study".getBytes());
    final List<ResponseEvent> answers = new ArrayList<>();
    final List<Dialogue> dialogues = new ArrayList<>();
    final Map<String, Double> quality = new LinkedHashMap<>();
    private final double[] severity = new double[ANNOTATORS];
    private final UUID[] annotators = new UUID[ANNOTATORS];

    SyntheticStudy(Path dataDir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Random random = new Random(20251127);
        for (int a = 0; a < ANNOTATORS; a++) {
            annotators[a] = new UUID(0x5eed, a);
            severity[a] = random.nextGaussian() * 0.4;
        }
        Map<String, UUID> characters = new HashMap<>();
        Map<Integer, UUID> scenarios = new HashMap<>();
        File[] files = dataDir.toFile().listFiles((dir, name) -> name.endsWith(".json"));
        if (files == null || files.length == 0) {
            throw new IllegalStateException("no ChatAnime files in " + dataDir);
        }
        java.util.Arrays.sort(files);
        for (File file : files) {
            String responder = file.getName().replace(".json", "");
            boolean human = responder.equals("human");
            // planted: the responders' true overall quality, from 3.0 to 4.4, fans in the middle
            double q = human ? 3.6 : 3.0 + 0.14 * Math.floorMod(responder.hashCode(), 11);
            quality.put(responder, q);
            UUID responderId = UUID.nameUUIDFromBytes(("bench/" + studyId + "/" + responder).getBytes());
            JsonNode all = json.readTree(Files.readString(file.toPath()));
            for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> character = it.next();
                UUID characterId = characters.computeIfAbsent(character.getKey(), c -> UUID.nameUUIDFromBytes(("bench/" + studyId + "/" + c).getBytes()));
                for (JsonNode dialog : character.getValue()) {
                    int dialogId = dialog.path("dialog_id").asInt();
                    UUID scenarioId = scenarios.computeIfAbsent(dialogId, d -> UUID.nameUUIDFromBytes(("bench/" + studyId + "/s" + d).getBytes()));
                    UUID dialogueId = UUID.nameUUIDFromBytes(("bench/" + responder + "/" + character.getKey() + "/" + dialogId).getBytes());
                    dialogues.add(new Dialogue(dialogueId, responderId, human ? "HUMAN" : "LLM", human ? null : responder, characterId,
                            character.getKey(), scenarioId, q));
                    for (int round = 1; round <= 2; round++) {
                        answers.add(new ResponseEvent(ResponseEvent.SCHEMA_VERSION, UUID.nameUUIDFromBytes((dialogueId + "/" + round).getBytes()),
                                studyId, dialogueId, characterId,
                                character.getKey(), scenarioId, String.valueOf(dialogId), null, null, responderId, responder,
                                human ? "HUMAN" : "LLM", human ? null : responder, round, dialog.path("question_r" + round).asText(),
                                dialog.path("answer_r" + round).asText(), null, null, null, null, null, null));
                    }
                }
            }
        }
    }

    /**
     * The i-th synthetic rating: dialogue i mod 13,200, rated in round i / 13,200 by an annotator no other round gave it;
     * each metric's score is the responder's quality plus the annotator's severity plus noise, rounded into 1..5.
     */
    RatingEvent rating(long i) {
        Dialogue dialogue = dialogues.get((int) (i % dialogues.size()));
        long round = i / dialogues.size();
        int annotator = (int) ((i % dialogues.size() * 7 + round) % ANNOTATORS);
        Random noise = new Random(i * 31 + 7);
        Map<String, Integer> scores = new LinkedHashMap<>();
        for (RubricMetric metric : Rubric.DIALOGUE) {
            long score = Math.round(dialogue.quality() + severity[annotator] + noise.nextGaussian() * 0.7);
            scores.put(metric.key(), (int) Math.max(1, Math.min(5, score)));
        }
        boolean straight = scores.values().stream().distinct().count() == 1;
        return new RatingEvent(RatingEvent.SCHEMA_VERSION, new UUID(0xbe0c4, i), studyId, RatingEvent.DIALOGUE, dialogue.id(),
                dialogue.id(), List.of(), dialogue.responderId(), dialogue.responderKind(), dialogue.model(), dialogue.characterId(),
                dialogue.characterName(), dialogue.scenarioId(), annotators[annotator], "HUMAN", null, scores, null, 30_000L + noise.nextInt(60_000),
                straight ? List.of(RatingEvent.STRAIGHT_LINED) : List.of(), false, null, null);
    }
}
