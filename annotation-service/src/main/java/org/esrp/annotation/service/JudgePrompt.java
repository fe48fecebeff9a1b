package org.esrp.annotation.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.repository.TaskContentRepository.Content;
import org.esrp.annotation.repository.TaskContentRepository.Text;
import org.esrp.events.RubricMetric;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a judge is asked and what counts as its answer. The prompt holds what an annotator sees of a DIALOGUE item (the
 * character, the user's persona and emotion, both rounds) and nothing about who wrote the answers, with the rubric:
 * each metric's key, name, definition, scale and anchors. The answer must be a JSON object {"scores": {key: integer}}
 * with every metric of the rubric, each an integer on its scale, and nothing else.
 */
@ApplicationScoped
public class JudgePrompt {

    /** An answer that is not the JSON asked for; the judge is asked again, up to its retries. */
    public static final class InvalidAnswer extends Exception {
        public InvalidAnswer(String message) {
            super(message);
        }
    }

    private final ObjectMapper mapper;

    public JudgePrompt(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public List<ChatMessage> messages(List<RubricMetric> rubric, Content item, String instructions) {
        StringBuilder system = new StringBuilder("""
                You are an expert annotator in a study of emotionally supportive role-play. A responder played a well-known \
                character and comforted a user over two rounds of dialogue. Rate the responder's answers on every metric below, \
                as a fan of the character who knows the work would. Judge only the answers; the user's messages are given for \
                context.

                Metrics:
                """);
        for (RubricMetric metric : rubric) {
            system.append("- ").append(metric.key()).append(" (").append(metric.name()).append("): integer from ")
                    .append(metric.min()).append(" to ").append(metric.max()).append('.');
            if (metric.definition() != null && !metric.definition().isBlank()) {
                system.append(' ').append(metric.definition().strip());
            }
            if (metric.anchors() != null && !metric.anchors().isEmpty()) {
                new TreeMap<>(metric.anchors()).forEach((score, meaning) -> system.append(" ").append(score).append(" = ").append(meaning).append(';'));
            }
            system.append('\n');
        }
        if (instructions != null && !instructions.isBlank()) {
            system.append("\nGuidelines:\n").append(instructions.strip()).append('\n');
        }
        system.append("\nAnswer with one JSON object and nothing else: {\"scores\": {")
                .append(String.join(", ", rubric.stream().map(m -> "\"" + m.key() + "\": <integer>").toList()))
                .append("}}");

        StringBuilder user = new StringBuilder();
        user.append("Character: ").append(item.characterName()).append('\n');
        if (item.persona() != null) {
            user.append("User persona: ").append(item.persona()).append('\n');
        }
        if (item.emotion() != null) {
            user.append("User emotion: ").append(item.emotion()).append('\n');
        }
        for (Text round : item.texts()) {
            user.append("\nRound ").append(round.round()).append("\nUser: ").append(round.userMessage())
                    .append("\nResponder (as ").append(item.characterName()).append("): ").append(round.answer()).append('\n');
        }
        return List.of(SystemMessage.from(system.toString()), UserMessage.from(user.toString()));
    }

    /** The scores of an answer, in rubric order, or why it is not one. */
    public Map<String, Integer> scores(String answer, List<RubricMetric> rubric) throws InvalidAnswer {
        JsonNode root;
        try {
            root = mapper.readTree(unfenced(answer));
        } catch (JsonProcessingException e) {
            throw new InvalidAnswer("not JSON: " + e.getOriginalMessage());
        }
        JsonNode scores = root == null ? null : root.get("scores");
        if (scores == null || !scores.isObject()) {
            throw new InvalidAnswer("no \"scores\" object");
        }
        Map<String, Integer> result = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (RubricMetric metric : rubric) {
            JsonNode score = scores.get(metric.key());
            if (score == null || score.isNull()) {
                problems.add(metric.key() + " is missing");
            } else if (!score.isIntegralNumber() || !score.canConvertToInt()) {
                problems.add(metric.key() + " is not an integer (" + score + ")");
            } else if (score.intValue() < metric.min() || score.intValue() > metric.max()) {
                problems.add(metric.key() + " = " + score.intValue() + " is off the scale " + metric.min() + ".." + metric.max());
            } else {
                result.put(metric.key(), score.intValue());
            }
        }
        for (Iterator<String> keys = scores.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (rubric.stream().noneMatch(m -> m.key().equals(key))) {
                problems.add(key + " is not a metric of the rubric");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidAnswer(String.join("; ", problems));
        }
        return result;
    }

    // Models asked for JSON still wrap it in a Markdown fence at times; the JSON inside is what they answered.
    private static String unfenced(String answer) {
        String text = answer.strip();
        if (text.startsWith("```")) {
            text = text.replaceFirst("^```[a-zA-Z]*\\s*", "").replaceFirst("\\s*```$", "");
        }
        return text;
    }
}
