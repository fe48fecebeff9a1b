package org.esrp.generation.service;

import org.esrp.common.problem.ApiException;
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

    /** Parses and validates; the field of an {@link ApiException} is the JSON path of the first fault. */
    public static ChatAnimeFile parse(ObjectMapper mapper, String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("body", "the import file is empty");
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw ApiException.badRequest("body", "the import file is not JSON" + where + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw ApiException.badRequest("$", "expected an object keyed by character, each a list of dialogues");
        }
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> character = it.next();
            String label = character.getKey().strip();
            String path = "$[\"" + character.getKey() + "\"]";
            if (label.isEmpty()) {
                throw ApiException.badRequest(path, "a character's name is empty");
            }
            if (label.length() > 400) {
                throw ApiException.badRequest(path, "a character's label may have 400 characters at most");
            }
            noNul(path, label);
            if (!character.getValue().isArray()) {
                throw ApiException.badRequest(path, "expected a list of dialogues");
            }
            Matcher matcher = LABEL.matcher(label);
            String work = matcher.matches() ? matcher.group(1).strip() : null;
            String name = matcher.matches() ? matcher.group(2).strip() : label;
            if (name.length() > 200 || (work != null && work.length() > 200)) {
                throw ApiException.badRequest(path, "a character's name and work may have 200 characters each at most");
            }
            Set<String> seen = new HashSet<>();
            int index = 0;
            for (JsonNode dialogue : character.getValue()) {
                String at = path + "[" + index++ + "]";
                if (!dialogue.isObject()) {
                    throw ApiException.badRequest(at, "expected a dialogue object");
                }
                JsonNode id = dialogue.get("dialog_id");
                if (id == null || !(id.isIntegralNumber() || (id.isTextual() && !id.asText().isBlank()))) {
                    throw ApiException.badRequest(at + ".dialog_id", "expected an integer or a non-empty string");
                }
                String dialogId = id.asText().strip();
                if (dialogId.length() > 100) {
                    throw ApiException.badRequest(at + ".dialog_id", "may have 100 characters at most");
                }
                noNul(at + ".dialog_id", dialogId);
                if (!seen.add(dialogId)) {
                    throw ApiException.badRequest(at + ".dialog_id", "dialog_id " + dialogId + " appears twice for this character");
                }
                List<String> texts = new ArrayList<>();
                for (String field : TEXT_FIELDS) {
                    JsonNode text = dialogue.get(field);
                    if (text == null || !text.isTextual() || text.asText().isBlank()) {
                        throw ApiException.badRequest(at + "." + field, "expected non-empty text");
                    }
                    noNul(at + "." + field, text.asText());
                    texts.add(text.asText());
                }
                entries.add(new Entry(label, name, work, dialogId, texts.get(0), texts.get(1), texts.get(2), texts.get(3)));
            }
        }
        if (entries.isEmpty()) {
            // A character without dialogues would create a responder that answered nothing.
            throw ApiException.badRequest("$", "the file holds no dialogue: nothing to import");
        }
        return new ChatAnimeFile(entries);
    }

    // PostgreSQL's text cannot hold U+0000; the tree parser lets it through.
    private static void noNul(String path, String text) {
        if (text.indexOf('\u0000') >= 0) {
            throw ApiException.badRequest(path, "must not contain U+0000 (NUL)");
        }
    }
}
