package org.esrp.llm;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.TokenUsage;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls a model behind an OpenAI-compatible endpoint through quarkus-langchain4j-openai. Models are built at run time
 * from a responder's settings (so models can be added to a running study), with retries and a request rate per
 * endpoint that holds across replicas. Blocking: call it from a worker thread, never from the event loop.
 */
@ApplicationScoped
public class LlmGateway {

    private static final Logger LOG = Logger.getLogger(LlmGateway.class);
    private static final int DEFAULT_TIMEOUT_SECONDS = 120;
    public static final String CALLS = "esrp.llm.calls";
    public static final String TOKENS = "esrp.llm.tokens";
    public static final String COST = "esrp.llm.cost";

    private final Guard guard;
    private final EndpointPolicy endpoints;
    private final Map<LlmSettingsKey, ChatModel> models = new ConcurrentHashMap<>();
    private final RateLimiter rateLimiter;

    private final MeterRegistry registry;

    public LlmGateway(RetryPolicy retryPolicy, EndpointPolicy endpoints, RateLimiter rateLimiter, MeterRegistry registry) {
        this.guard = retryPolicy.guard();
        this.endpoints = endpoints;
        this.rateLimiter = rateLimiter;
        this.registry = registry;
    }

    public record Answer(String text, long latencyMs, Integer tokensIn, Integer tokensOut) {
    }

    /**
     * Builds the model of these settings in the background, when they are stored: the first build in a JVM initialises
     * the REST client's classes (1.4 s on the demo's busy machine), and every slot of a run's first moments waited for
     * it. A build that fails here (a key's variable not set) is left to the call, which reports it.
     */
    public void prepare(LlmSettings settings) {
        if (settings == null || settings.baseUrl == null || models.containsKey(LlmSettingsKey.of(settings))) {
            return;
        }
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                models.computeIfAbsent(LlmSettingsKey.of(settings), k -> build(settings));
            } catch (RuntimeException e) {
                LOG.debugf("model %s not built ahead: %s", settings.modelName, e.getMessage());
            }
        });
    }

    /** Whether the model of these settings is built in this JVM (by a call or by {@link #prepare}). */
    public boolean hasModel(LlmSettings settings) {
        return models.containsKey(LlmSettingsKey.of(settings));
    }

    /** One chat completion, retried as {@link RetryPolicy} says; throws the last failure when no try is left. */
    public Answer chat(LlmSettings settings, List<ChatMessage> messages) throws InterruptedException {
        return chat(settings, ChatRequest.builder().messages(messages).build());
    }

    /**
     * As {@link #chat}, asking for a JSON object (OpenAI's JSON mode, {@code response_format} {@code json_object}, which
     * OpenAI-compatible servers widely take; a JSON schema is not: many reject it). The caller still checks the JSON.
     */
    public Answer chatJson(LlmSettings settings, List<ChatMessage> messages) throws InterruptedException {
        return chat(settings, ChatRequest.builder().messages(messages).responseFormat(ResponseFormat.JSON).build());
    }

    private Answer chat(LlmSettings settings, ChatRequest request) throws InterruptedException {
        if (settings == null || settings.baseUrl == null) {
            throw new LlmCallException(400, null, "these settings name no endpoint to call (a responder whose answers were imported)");
        }
        // Settings stored before the operator narrowed the policy must not call out either.
        endpoints.checkCall(settings);
        LlmSettingsKey key = LlmSettingsKey.of(settings);
        ChatModel model = models.computeIfAbsent(key, k -> build(settings));
        try {
            Answer answer = guard.call(() -> {
                rateLimiter.acquire(settings);
                return call(model, request);
            }, Answer.class);
            counted(settings, answer);
            return answer;
        } catch (InterruptedException | RuntimeException e) {
            registry.counter(CALLS, "model", settings.modelName, "outcome", "failed").increment();
            throw e;
        } catch (Exception e) {
            registry.counter(CALLS, "model", settings.modelName, "outcome", "failed").increment();
            throw new IllegalStateException(e);
        }
    }

    /** On /q/metrics per model: calls answered and failed (after their retries), tokens in and out, and their cost. */
    private void counted(LlmSettings settings, Answer answer) {
        registry.counter(CALLS, "model", settings.modelName, "outcome", "answered").increment();
        registry.counter(TOKENS, "model", settings.modelName, "direction", "in").increment(answer.tokensIn() == null ? 0 : answer.tokensIn());
        registry.counter(TOKENS, "model", settings.modelName, "direction", "out").increment(answer.tokensOut() == null ? 0 : answer.tokensOut());
        registry.counter(COST, "model", settings.modelName).increment(settings.cost(answer.tokensIn(), answer.tokensOut()).doubleValue());
    }

    private static Answer call(ChatModel model, ChatRequest request) {
        long started = System.nanoTime();
        ChatResponse response = model.chat(request);
        long latency = (System.nanoTime() - started) / 1_000_000;
        String text = response.aiMessage() == null ? null : response.aiMessage().text();
        if (text == null || text.isBlank()) {
            throw new LlmCallException(200, null, "the model returned an empty answer");
        }
        TokenUsage usage = response.tokenUsage();
        return new Answer(text.strip(), latency, usage == null ? null : usage.inputTokenCount(),
                usage == null ? null : usage.outputTokenCount());
    }

    private static ChatModel build(LlmSettings settings) {
        OpenAiChatModel.OpenAiChatModelBuilder builder = OpenAiChatModel.builder()
                .baseUrl(settings.baseUrl)
                .apiKey(apiKey(settings))
                .modelName(settings.modelName)
                // RetryPolicy owns retries: it honours Retry-After, which the model's own retries cannot see.
                .maxRetries(0)
                .timeout(Duration.ofSeconds(settings.timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : settings.timeoutSeconds))
                .logRequests(false)
                .logResponses(false);
        if (settings.temperature != null) {
            builder.temperature(settings.temperature);
        }
        if (settings.maxTokens != null) {
            builder.maxTokens(settings.maxTokens);
        }
        return builder.build();
    }

    private static String apiKey(LlmSettings settings) {
        if (settings.apiKeyEnv == null) {
            // Local endpoints (replay, self-hosted servers) take no key, but the client insists on one.
            return "no-key";
        }
        String key = System.getenv(settings.apiKeyEnv);
        if (key == null || key.isBlank()) {
            throw new LlmCallException(401, null, "the environment variable " + settings.apiKeyEnv + " that should hold the API key is not set");
        }
        return key;
    }

    /** What makes two settings the same model; the key's value is deliberately not part of it. */
    private record LlmSettingsKey(String baseUrl, String modelName, String apiKeyEnv, Double temperature, Integer maxTokens,
                                  Integer requestsPerMinute, Integer timeoutSeconds) {
        static LlmSettingsKey of(LlmSettings s) {
            return new LlmSettingsKey(s.baseUrl, s.modelName, s.apiKeyEnv, s.temperature,
                    s.maxTokens, s.requestsPerMinute, s.timeoutSeconds);
        }
    }
}
