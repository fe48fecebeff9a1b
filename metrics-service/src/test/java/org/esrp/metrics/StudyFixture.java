package org.esrp.metrics;

import org.esrp.events.RatingEvent;
import org.esrp.events.Rubric;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.messaging.StudyEvent;
import org.esrp.metrics.repository.StudyListener;
import org.esrp.metrics.repository.StudyModels;
import org.esrp.metrics.repository.StudyState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A hand-made study for the statistics: ratings applied to a study's state as the stream processor applies them, without
 * a broker (what is tested is how the statistics are computed from the aggregates, not how records travel).
 */
final class StudyFixture {

    final UUID study = UUID.randomUUID();
    final UUID character = UUID.randomUUID();
    private final List<UUID> characters = new ArrayList<>(List.of(character));
    private final List<UUID> scenarios = new ArrayList<>();
    private final StudyModels models = new StudyModels();
    private final StudyState state = new StudyState(new MapKeyValues(), 0, models, StudyListener.NONE, false);

    UUID character(int index) {
        while (characters.size() <= index) {
            characters.add(UUID.randomUUID());
        }
        return characters.get(index);
    }

    UUID scenario(int index) {
        while (scenarios.size() <= index) {
            scenarios.add(UUID.randomUUID());
        }
        return scenarios.get(index);
    }

    /** A dialogue of the responder on a scenario, rated once per rater: each rater's nine digits, in the default rubric's order. */
    UUID dialogue(UUID responder, String kind, int scenario, String... raters) {
        UUID dialogue = UUID.randomUUID();
        for (int r = 0; r < raters.length; r++) {
            rate(dialogue, responder, kind, scenario, new UUID(0, r + 1), "HUMAN", raters[r], List.of(), false);
        }
        return dialogue;
    }

    /** One rating of a dialogue: nine digits, in the default rubric's order ('-' for a metric not scored). */
    void rate(UUID dialogue, UUID responder, String kind, int scenario, UUID annotator, String raterKind, String digits,
              List<String> flags, boolean gold) {
        rate(dialogue, responder, kind, 0, scenario, annotator, raterKind, digits, flags, gold);
    }

    /** One rating of a dialogue on a character (by index): nine digits, in the default rubric's order. */
    void rate(UUID dialogue, UUID responder, String kind, int character, int scenario, UUID annotator, String raterKind,
              String digits, List<String> flags, boolean gold) {
        apply(new RatingEvent(RatingEvent.SCHEMA_VERSION, UUID.randomUUID(), study, RatingEvent.DIALOGUE, UUID.randomUUID(),
                dialogue, List.of(), responder, kind, "LLM".equals(kind) ? "model" : null, character(character),
                "character " + character, scenario(scenario),
                annotator, raterKind, "LLM_JUDGE".equals(raterKind) ? "judge-model" : null, scores(digits), null, 60_000L, flags, gold, gold ? Boolean.TRUE : null, null));
    }

    /** One rating of a DIVERSITY item (a set of the responder's answers) on the default diversity rubric. */
    void rateDiversity(UUID responder, UUID annotator, int score) {
        Map<String, Integer> scores = new HashMap<>();
        Rubric.DIVERSITY.forEach(m -> scores.put(m.key(), score));
        apply(new RatingEvent(RatingEvent.SCHEMA_VERSION, UUID.randomUUID(), study, RatingEvent.DIVERSITY, UUID.randomUUID(), null,
                List.of(UUID.randomUUID(), UUID.randomUUID()), responder, "LLM", "model", character, "character", null, annotator,
                "HUMAN", null, scores, null, 60_000L, List.of(), false, null, null));
    }

    StudyModel model() {
        return models.get(study);
    }

    private void apply(RatingEvent rating) {
        state.apply(new StudyEvent.Rating(rating));
    }

    private static Map<String, Integer> scores(String digits) {
        if (digits.length() != Rubric.DIALOGUE.size()) {
            throw new IllegalArgumentException("one digit per metric: " + digits);
        }
        Map<String, Integer> scores = new HashMap<>();
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) != '-') {
                scores.put(Rubric.DIALOGUE.get(i).key(), digits.charAt(i) - '0');
            }
        }
        return scores;
    }
}
