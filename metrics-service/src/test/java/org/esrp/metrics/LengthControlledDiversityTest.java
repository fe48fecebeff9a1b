package org.esrp.metrics;

import org.esrp.metrics.diversity.DistinctN;
import org.esrp.metrics.domain.GroupDiversity;
import org.esrp.metrics.domain.Responder;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.service.DiversityService;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Length-controlled distinct-n: a fan who writes short answers and a model that writes long, repetitive ones, on one
 * character. Raw distinct-n favours the short texts; cut to the same length (the fan's, in steps of 50 code points) the
 * comparison is at equal length. Checked against distinct-n of the texts cut by hand.
 */
class LengthControlledDiversityTest {

    @Test
    void everyResponderIsCutToTheShortestResponderLengthPerCharacter() {
        UUID study = UUID.randomUUID();
        UUID character = UUID.randomUUID();
        UUID fan = UUID.randomUUID();
        UUID model = UUID.randomUUID();
        List<String> fanAnswers = List.of("别担心，我在呢。", "一起想办法吧！", "你已经做得很好了。", "先深呼吸，慢慢来。", "明天会更好的。",
                "我陪着你。", "说出来会好受些。", "没关系的。");
        List<String> modelAnswers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            modelAnswers.add("我理解你现在的感受，这种情况确实让人感到很有压力，但是请相信你自己，你一定可以度过这个难关的。第" + i + "次。");
        }
        StudyModel studyModel = new StudyModel(study, 0);
        studyModel.responder(new Responder(fan, "fan", "HUMAN", null), true);
        studyModel.responder(new Responder(model, "model", "LLM", "model"), true);
        studyModel.group(new GroupDiversity(fan, character, new int[]{8, 8, 0}, new int[3],
                new GroupDiversity.Measures[]{DiversityService.measure(fanAnswers, List.of()), null, null}));
        studyModel.group(new GroupDiversity(model, character, new int[]{8, 8, 0}, new int[3],
                new GroupDiversity.Measures[]{DiversityService.measure(modelAnswers, List.of()), null, null}));

        List<DiversityService.Diversity> rows = new DiversityService().diversity(studyModel, null, true);
        int fanLength = fanAnswers.stream().mapToInt(a -> a.codePointCount(0, a.length())).sum();
        int budget = fanLength / DiversityService.LENGTH_STEP * DiversityService.LENGTH_STEP;
        assertTrue(budget > 0 && budget < fanLength + 1);
        DiversityService.Diversity modelRow = rows.stream().filter(r -> r.responderId().equals(model)).findFirst().orElseThrow();
        DiversityService.Diversity fanRow = rows.stream().filter(r -> r.responderId().equals(fan)).findFirst().orElseThrow();
        assertEquals(DistinctN.distinct(cut(modelAnswers, budget), 2), modelRow.distinct2LengthControlled(), 1e-12);
        assertEquals(DistinctN.distinct(cut(fanAnswers, budget), 2), fanRow.distinct2LengthControlled(), 1e-12);
        assertEquals(DistinctN.distinct(cut(modelAnswers, budget), 1), modelRow.distinct1LengthControlled(), 1e-12);
        // at equal length the model's repetitive answers are no longer penalised for their length alone
        assertTrue(modelRow.distinct2LengthControlled() > modelRow.distinct2(), modelRow.toString());
    }

    /** The texts in order, the last one cut, to {@code budget} code points. */
    private static List<String> cut(List<String> texts, int budget) {
        List<String> cut = new ArrayList<>();
        int left = budget;
        for (String text : texts) {
            int length = text.codePointCount(0, text.length());
            if (left <= 0) {
                break;
            }
            cut.add(length <= left ? text : text.substring(0, text.offsetByCodePoints(0, left)));
            left -= Math.min(length, left);
        }
        return cut;
    }
}
