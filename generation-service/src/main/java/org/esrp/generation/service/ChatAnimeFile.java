package org.esrp.generation.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ChatAnime responder file, checked whole before anything is written: an object keyed by the character's label
 * ("《work》的name"), each a list of dialogues with dialog_id and both rounds' question and answer.
 */
public record ChatAnimeFile(List<Entry> entries) {

    private static final Pattern LABEL = Pattern.compile("^《(.+?)》的(.+)$");
    private static final List<String> TEXT_FIELDS = List.of("question_r1", "answer_r1", "question_r2", "answer_r2");

    /** One recorded dialogue. */
    public record Entry(String characterLabel, String characterName, String work, String dialogId,
                        String question1, String answer1, String question2, String answer2) {
    }

    /** Parses and validates; the field of an {@link InvalidInputException} is the JSON path of the first fault. */
    public static ChatAnimeFile parse(ObjectMapper mapper, String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidInputException("body", "the import file is empty");
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new InvalidInputException("body", "the import file is not JSON" + where + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw new InvalidInputException("$", "expected an object keyed by character, each a list of dialogues");
        }
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> character = it.next();
            String label = character.getKey().strip();
            String path = "$[\"" + character.getKey() + "\"]";
            if (label.isEmpty()) {
                throw new InvalidInputException(path, "a character's name is empty");
            }
            if (!character.getValue().isArray()) {
                throw new InvalidInputException(path, "expected a list of dialogues");
            }
            Matcher matcher = LABEL.matcher(label);
            String work = matcher.matches() ? matcher.group(1).strip() : null;
            String name = matcher.matches() ? matcher.group(2).strip() : label;
            Set<String> seen = new HashSet<>();
            int index = 0;
            for (JsonNode dialogue : character.getValue()) {
                String at = path + "[" + index++ + "]";
                if (!dialogue.isObject()) {
                    throw new InvalidInputException(at, "expected a dialogue object");
                }
                JsonNode id = dialogue.get("dialog_id");
                if (id == null || !(id.isIntegralNumber() || (id.isTextual() && !id.asText().isBlank()))) {
                    throw new InvalidInputException(at + ".dialog_id", "expected an integer or a non-empty string");
                }
                String dialogId = id.asText().strip();
                if (!seen.add(dialogId)) {
                    throw new InvalidInputException(at + ".dialog_id", "dialog_id " + dialogId + " appears twice for this character");
                }
                List<String> texts = new ArrayList<>();
                for (String field : TEXT_FIELDS) {
                    JsonNode text = dialogue.get(field);
                    if (text == null || !text.isTextual() || text.asText().isBlank()) {
                        throw new InvalidInputException(at + "." + field, "expected non-empty text");
                    }
                    texts.add(text.asText());
                }
                entries.add(new Entry(label, name, work, dialogId, texts.get(0), texts.get(1), texts.get(2), texts.get(3)));
            }
        }
        return new ChatAnimeFile(entries);
    }
}
