package org.esrp.metrics;

import org.esrp.events.RatingEvent;
import org.esrp.metrics.service.RaterService;
import org.esrp.metrics.service.RaterService.Rater;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Rater statistics on hand-made ratings, against hand calculations. */
class RaterStatisticsTest {

    final UUID model = UUID.randomUUID();
    final UUID straightLiner = UUID.randomUUID();
    final UUID harsh = UUID.randomUUID();
    final UUID lenient = UUID.randomUUID();
    final UUID judge = UUID.randomUUID();

    @Test
    void straightLiningIsAShareOfDialogueRatingsAndSeverityLeavesTheRaterOut() {
        StudyFixture study = new StudyFixture();
        // the straight-liner: 2 of 2 dialogue ratings straight-lined, and 2 diversity ratings (which have no such flag)
        for (int s = 0; s < 2; s++) {
            study.rate(UUID.randomUUID(), model, "LLM", s, straightLiner, "HUMAN", "444444444", List.of(RatingEvent.STRAIGHT_LINED), false);
            study.rateDiversity(model, straightLiner, 3);
        }
        // A always 2 below B on the same three dialogues; an LLM judge (another kind of rater) far below both, and a gold
        // item that only A rated
        String[][] pairs = {{"333333333", "555555555"}, {"222222222", "444444444"}, {"123412341", "345634563"}};
        for (int s = 0; s < pairs.length; s++) {
            UUID dialogue = UUID.randomUUID();
            study.rate(dialogue, model, "LLM", 10 + s, harsh, "HUMAN", pairs[s][0], List.of(), false);
            study.rate(dialogue, model, "LLM", 10 + s, lenient, "HUMAN", pairs[s][1], List.of(), false);
            study.rate(dialogue, model, "LLM", 10 + s, judge, "LLM_JUDGE", "111111111", List.of(), false);
        }
        study.rate(UUID.randomUUID(), model, "LLM", 20, harsh, "HUMAN", "999999999", List.of(), true);

        List<Rater> raters = new RaterService().raters(study.model());
        Rater s = rater(raters, straightLiner);
        assertEquals(4, s.ratings());
        assertEquals(2, s.dialogueRatings());
        assertEquals(1.0, s.straightLiningRate());
        assertEquals(-2.0, rater(raters, harsh).severity());
        assertEquals(2.0, rater(raters, lenient).severity());
        assertEquals(0.0, rater(raters, harsh).straightLiningRate());
        assertEquals(1, rater(raters, harsh).goldRated());
        assertEquals(3, rater(raters, harsh).dialogueRatings(), "the gold rating is not one of the dialogue ratings");
        // A's overall scores 3, 2 and 21/9: their mean, (3 + 2 + 7/3) / 3 = 22/9
        assertEquals(22.0 / 9, rater(raters, harsh).meanScore(), 1e-15);
        assertNull(rater(raters, judge).severity(), "no other rater of its kind");
        assertNull(s.severity(), "no other rater on its dialogues");
    }

    @Test
    void severityLeavesOutEveryRatingOfTheRaterWhateverTheNumberOfScores() {
        StudyFixture study = new StudyFixture();
        UUID dialogue = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        // harsh rated the dialogue twice: 8 scores (overall 3) and 7 scores (overall 5); lenient 9 scores (overall 4);
        // other one score (6); the judge, of another kind, 1
        study.rate(dialogue, model, "LLM", 0, harsh, "HUMAN", "33333333-", List.of(), false);
        study.rate(dialogue, model, "LLM", 0, harsh, "HUMAN", "5555555--", List.of(), false);
        study.rate(dialogue, model, "LLM", 0, lenient, "HUMAN", "444444444", List.of(), false);
        study.rate(dialogue, model, "LLM", 0, other, "HUMAN", "6--------", List.of(), false);
        study.rate(dialogue, model, "LLM", 0, judge, "LLM_JUDGE", "111111111", List.of(), false);

        List<Rater> raters = new RaterService().raters(study.model());
        // harsh: the others (4 + 6) / 2 = 5; deviations 3 - 5 and 5 - 5, their mean -1
        assertEquals(-1.0, rater(raters, harsh).severity());
        // other: the others (3 + 5 + 4) / 3 = 4; 6 - 4
        assertEquals(2.0, rater(raters, other).severity());
        // lenient: the others (3 + 5 + 6) / 3 = 14/3; 4 - 14/3
        assertEquals(-2.0 / 3, rater(raters, lenient).severity(), 1e-15);
        assertNull(rater(raters, judge).severity(), "no other rater of its kind");
        assertEquals(2, rater(raters, harsh).dialogueRatings());
    }

    private static Rater rater(List<Rater> raters, UUID annotator) {
        return raters.stream().filter(r -> r.annotatorId().equals(annotator)).findFirst().orElseThrow();
    }
}
