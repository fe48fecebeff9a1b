package org.esrp.events;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The default rubric (Qiu et al., 2025): nine metrics in three dimensions, Likert 1 to 5, and response diversity, rated
 * on diversity items; and how a rubric's metrics group into dimensions.
 */
public final class Rubric {

    public static final String BASIC = "Basic dialogue";
    public static final String ROLE_PLAYING = "Role-playing";
    public static final String EMOTIONAL_SUPPORT = "Emotional support";
    public static final String OVERALL = "Overall";

    public static final List<RubricMetric> DIALOGUE = List.of(
            metric("fluency", "Fluency 流畅性", BASIC, "Natural, well-formed, easy to read.",
                    "awkward or broken language", "readable with some unnatural phrasing", "entirely natural and fluent"),
            metric("coherency", "Coherency 连贯性", BASIC, "Follows logically from what the user said and from the dialogue so far.",
                    "ignores or misreads the user", "mostly on topic with some jumps", "every sentence follows from the conversation"),
            metric("consistency", "Consistency 一致性", BASIC, "Does not contradict itself or earlier turns; the character stays the same.",
                    "contradicts itself or changes character", "minor inconsistencies", "fully consistent across both rounds"),
            metric("characterKnowledge", "Character knowledge 角色知识", ROLE_PLAYING,
                    "Correct and fitting use of the character's world, history, companions.",
                    "wrong or no knowledge of the character's world", "some correct but generic references", "rich, correct and well-chosen references"),
            metric("speechStyle", "Speech style 说话风格", ROLE_PLAYING,
                    "The character's tone, register, catchphrases, way of addressing people.",
                    "sounds nothing like the character", "partly in the character's voice", "unmistakably the character's voice"),
            metric("behavioralHabit", "Behavioral habit 行为习惯", ROLE_PLAYING,
                    "The character's typical reactions, habits and mannerisms.",
                    "reacts unlike the character", "some typical reactions", "reacts exactly as the character would"),
            metric("demandMatching", "Demand matching 需求匹配", EMOTIONAL_SUPPORT,
                    "Answers what this user needs now (comfort, advice, company, information).",
                    "misses what the user needs", "partly meets the need", "meets precisely what the user needs now"),
            metric("experienceSharing", "Experience sharing 经历分享", EMOTIONAL_SUPPORT,
                    "Relates the character's own experiences to the user's situation.",
                    "shares no relevant experience", "a generic or loosely related experience", "a fitting experience of the character, well related"),
            metric("emotionalValue", "Emotional value 情绪价值", EMOTIONAL_SUPPORT,
                    "The user would feel understood, comforted or encouraged.",
                    "cold, dismissive or hurtful", "somewhat comforting", "the user would feel truly understood and comforted"));

    public static final List<RubricMetric> DIVERSITY = List.of(
            metric("diversity", "Response diversity 回复多样性", OVERALL,
                    "Across these answers of one responder, how varied they are rather than formulaic.",
                    "the same formula every time", "some variety", "each answer fresh and different"));

    private Rubric() {
    }

    /**
     * The key a dimension has in the leaderboards: its name in lower camel case over its letters and digits
     * ("Basic dialogue" -> basicDialogue, "Role-playing" -> rolePlaying); a name with no such character keeps its text.
     */
    public static String dimensionKey(String dimension) {
        StringBuilder key = new StringBuilder();
        for (String word : dimension.trim().split("[^\\p{L}\\p{N}]+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (key.isEmpty()) {
                key.append(word.toLowerCase(Locale.ROOT));
            } else {
                key.append(word.substring(0, 1).toUpperCase(Locale.ROOT)).append(word.substring(1).toLowerCase(Locale.ROOT));
            }
        }
        return key.isEmpty() ? dimension : key.toString();
    }

    /** The rubric's dimensions by key, in the order they first appear, each with its metrics' keys in rubric order. */
    public static Map<String, List<String>> dimensions(List<RubricMetric> rubric) {
        Map<String, List<String>> dimensions = new LinkedHashMap<>();
        for (RubricMetric metric : rubric) {
            dimensions.computeIfAbsent(dimensionKey(metric.dimension()), d -> new ArrayList<>()).add(metric.key());
        }
        return dimensions;
    }

    private static RubricMetric metric(String key, String name, String dimension, String definition, String one, String three, String five) {
        return new RubricMetric(key, name, dimension, definition, 1, 5, Map.of("1", one, "3", three, "5", five));
    }
}
