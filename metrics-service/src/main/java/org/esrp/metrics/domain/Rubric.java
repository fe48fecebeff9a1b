package org.esrp.metrics.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The study's nine metrics in three dimensions (Qiu et al., 2025), and the diversity metric of diversity items. */
public final class Rubric {

    public static final Map<String, List<String>> DIMENSIONS = new LinkedHashMap<>();

    static {
        DIMENSIONS.put("basicDialogue", List.of("fluency", "coherency", "consistency"));
        DIMENSIONS.put("rolePlaying", List.of("characterKnowledge", "speechStyle", "behavioralHabit"));
        DIMENSIONS.put("emotionalSupport", List.of("demandMatching", "experienceSharing", "emotionalValue"));
    }

    public static final List<String> METRICS = DIMENSIONS.values().stream().flatMap(List::stream).toList();

    public static final String DIVERSITY = "diversity";

    private Rubric() {
    }
}
