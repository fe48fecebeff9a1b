package org.esrp.generation.replay;

import jakarta.annotation.security.PermitAll;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.esrp.generation.config.ReplayConfig;
import org.esrp.generation.replay.ReplayIndex.Recorded;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * An OpenAI-compatible chat completion endpoint that answers from the recorded ChatAnime dialogues, so that the local
 * platform runs the real generation path offline with real recorded LLM output. The model name picks the file
 * ({@code deepseek-v3} answers from deepseek-v3.json); the character is the one the system prompt names; the question
 * picks the dialogue. Model {@code simulator} plays the user simulator: it returns the recorded round-2 question of
 * the round-1 answer its prompt quotes.
 */
@Path("/replay/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "replay", description = "OpenAI-compatible replay of recorded answers (when esrp.replay.enabled)")
// The recorded answers of a public data set, served only when the local platform switches replay on.
@PermitAll
public class ReplayResource {

    public static final String SIMULATOR_MODEL = "simulator";

    private final ReplayIndex index;
    private final ReplayConfig config;

    public ReplayResource(ReplayIndex index, ReplayConfig config) {
        this.index = index;
        this.config = config;
    }

    @POST
    @Path("chat/completions")
    public Response complete(JsonNode request) {
        if (!config.enabled()) {
            return error(404, "replay is switched off (esrp.replay.enabled=false)");
        }
        if (request == null || !request.path("messages").isArray() || request.path("messages").isEmpty()) {
            return error(400, "messages is required");
        }
        if (request.path("stream").asBoolean(false)) {
            return error(400, "replay does not stream");
        }
        String model = request.path("model").asText("");
        List<JsonNode> messages = new ArrayList<>();
        request.path("messages").forEach(messages::add);
        Optional<String> answer = SIMULATOR_MODEL.equals(model) ? simulate(messages) : respond(model, messages);
        if (answer.isEmpty()) {
            return error(404, "no recorded answer of model '" + model + "' matches this request");
        }
        String prompt = messages.stream().map(m -> m.path("content").asText("")).reduce("", String::concat);
        int promptTokens = prompt.codePointCount(0, prompt.length());
        int completionTokens = answer.get().codePointCount(0, answer.get().length());
        return Response.ok(Map.of(
                "id", "chatcmpl-replay-" + UUID.randomUUID(),
                "object", "chat.completion",
                "created", System.currentTimeMillis() / 1000,
                "model", model,
                "choices", List.of(Map.of("index", 0, "finish_reason", "stop",
                        "message", Map.of("role", "assistant", "content", answer.get()))),
                // Replay counts code points, not a tokenizer's tokens.
                "usage", Map.of("prompt_tokens", promptTokens, "completion_tokens", completionTokens,
                        "total_tokens", promptTokens + completionTokens))).build();
    }

    private Optional<String> respond(String model, List<JsonNode> messages) {
        String system = contentOf(messages, "system");
        List<String> user = messages.stream().filter(m -> "user".equals(m.path("role").asText()))
                .map(m -> m.path("content").asText()).toList();
        if (user.isEmpty() || !index.hasModel(model)) {
            return Optional.empty();
        }
        Optional<List<Recorded>> dialogues = index.dialogues(model, system);
        if (dialogues.isEmpty()) {
            return Optional.empty();
        }
        if (user.size() == 1) {
            return find(dialogues.get(), Recorded::question1, user.get(0)).map(Recorded::answer1);
        }
        return find(dialogues.get(), Recorded::question2, user.get(user.size() - 1))
                .or(() -> find(dialogues.get(), Recorded::question1, user.get(0)))
                .map(Recorded::answer2);
    }

    private Optional<String> simulate(List<JsonNode> messages) {
        String prompt = messages.stream().map(m -> m.path("content").asText("")).reduce("", (a, b) -> a + "\n" + b);
        return quotedAnswer(index.askedIn(prompt), prompt).or(() -> quotedAnswer(index.allModels(prompt), prompt))
                .map(Recorded::question2);
    }

    private static Optional<Recorded> quotedAnswer(List<Recorded> dialogues, String prompt) {
        return dialogues.stream()
                .filter(d -> !d.answer1().isBlank() && prompt.contains(d.answer1()))
                .max(Comparator.comparingInt(d -> d.answer1().length()));
    }

    /** Exact text first; then ignoring punctuation variants, which differ between the recorded files. */
    private static Optional<Recorded> find(List<Recorded> dialogues, Function<Recorded, String> field, String text) {
        return dialogues.stream().filter(d -> field.apply(d).equals(text)).findFirst()
                .or(() -> dialogues.stream().filter(d -> normalized(field.apply(d)).equals(normalized(text))).findFirst());
    }

    static String normalized(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).replaceAll("[\\p{P}\\p{S}\\s]", "");
    }

    private static String contentOf(List<JsonNode> messages, String role) {
        return messages.stream().filter(m -> role.equals(m.path("role").asText()))
                .map(m -> m.path("content").asText("")).findFirst().orElse("");
    }

    private static Response error(int status, String message) {
        return Response.status(status).entity(Map.of("error", Map.of("message", message, "type", "invalid_request_error"))).build();
    }
}
