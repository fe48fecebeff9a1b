package org.esrp.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A real OpenAI-compatible HTTP server for tests and benchmarks: answers every chat completion deterministically from
 * its input after a fixed delay, records what it received (when, from which key, how many at once), and fails on
 * request (scripted statuses, or a predicate on the request).
 */
public final class FakeLlmServer implements AutoCloseable {

    /** A call: when it arrived, the model asked for, the bearer key it came with, the request, and the status sent. */
    public record Received(long atMillis, String model, String key, JsonNode body, int status) {
        public List<JsonNode> messages() {
            List<JsonNode> list = new ArrayList<>();
            body.path("messages").forEach(list::add);
            return list;
        }

        public String lastUserMessage() {
            List<JsonNode> m = messages();
            return m.get(m.size() - 1).path("content").asText();
        }
    }

    /** A scripted failure: status and optional Retry-After seconds; {@link #DROPPED} closes the connection unanswered. */
    public record Failure(int status, String retryAfter) {
        public static final Failure DROPPED = new Failure(0, null);
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static FakeLlmServer shared;

    static {
        // The JDK server writes a response's headers and body separately; with Nagle's algorithm on, the client's
        // delayed ACK holds the body back 40 ms, which no real endpoint adds. Read once, when the first server starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    // appended to on every call (36,000 in a benchmark case): a copy-on-write list copied itself each time
    private final Queue<Received> received = new ConcurrentLinkedQueue<>();
    private final Map<String, Deque<Failure>> scripted = new ConcurrentHashMap<>();
    private final Map<String, Deque<String>> scriptedContent = new ConcurrentHashMap<>();
    private final Map<String, java.util.function.Function<JsonNode, String>> contentFunctions = new ConcurrentHashMap<>();
    private volatile Predicate<JsonNode> rejectPermanently = body -> false;
    private volatile long delayMillis;
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Integer> maxInFlight = new ConcurrentHashMap<>();

    /** One server for every test class of the JVM; each test uses model names of its own. */
    public static synchronized FakeLlmServer shared() throws IOException {
        if (shared == null) {
            shared = new FakeLlmServer();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "stop-fake-llm"));
        }
        return shared;
    }

    /** A server of one's own, on a free port of 127.0.0.1. */
    public FakeLlmServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.createContext("/v1/chat/completions", this::handle);
        // a thread per call in flight, so that the delay is the same at any concurrency
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> received(String model) {
        return received.stream().filter(r -> r.model().equals(model)).toList();
    }

    /** The most calls of one model that were in flight at once. */
    public int maxInFlight(String model) {
        return maxInFlight.getOrDefault(model, 0);
    }

    public void failNext(String model, Failure... failures) {
        scripted.computeIfAbsent(model, m -> new ConcurrentLinkedDeque<>()).addAll(List.of(failures));
    }

    /** The next answers of {@code model}, in order, in place of the echo (a judge's JSON, valid or not). */
    public void answerNext(String model, String... contents) {
        scriptedContent.computeIfAbsent(model, m -> new ConcurrentLinkedDeque<>()).addAll(List.of(contents));
    }

    /** Every further answer of {@code model}, computed from its request, once the scripted ones are used up. */
    public void answerWith(String model, java.util.function.Function<JsonNode, String> content) {
        contentFunctions.put(model, content);
    }

    /** Requests matching the predicate get a 400, which is not retried. */
    public void rejectWhen(Predicate<JsonNode> predicate) {
        rejectPermanently = predicate;
    }

    public void delay(long millis) {
        delayMillis = millis;
    }

    /** The answer this server gives to a request, so tests can compute what should have been stored. */
    public static String answerFor(String model, String lastUserMessage) {
        return "[" + model + "] reply to: " + lastUserMessage;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long arrived = System.currentTimeMillis();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String key = authorization == null ? null : authorization.replaceFirst("(?i)^Bearer\\s+", "");
        try (exchange) {
            JsonNode body = MAPPER.readTree(exchange.getRequestBody());
            String model = body.path("model").asText();
            int now = inFlight.computeIfAbsent(model, m -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
            maxInFlight.merge(model, now, Math::max);
            try {
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
            } finally {
                inFlight.get(model).decrementAndGet();
            }
            Deque<Failure> failures = scripted.get(model);
            Failure failure = failures == null ? null : failures.poll();
            if (failure == null && rejectPermanently.test(body)) {
                failure = new Failure(400, null);
            }
            if (failure != null) {
                received.add(new Received(arrived, model, key, body, failure.status()));
                if (failure.status() == 0) {
                    // closed before any response header: the JDK server then closes the connection itself
                    return;
                }
                if (failure.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", failure.retryAfter());
                }
                send(exchange, failure.status(), "{\"error\":{\"message\":\"scripted failure\",\"type\":\"test\"}}");
                return;
            }
            received.add(new Received(arrived, model, key, body, 200));
            JsonNode messages = body.path("messages");
            String last = messages.get(messages.size() - 1).path("content").asText();
            Deque<String> contents = scriptedContent.get(model);
            String scriptedAnswer = contents == null ? null : contents.poll();
            java.util.function.Function<JsonNode, String> computed = contentFunctions.get(model);
            String answer = scriptedAnswer != null ? scriptedAnswer : computed != null ? computed.apply(body)
                    : answerFor(model, last.length() > 60 ? last.substring(last.length() - 60) : last);
            String json = MAPPER.writeValueAsString(Map.of(
                    "id", "chatcmpl-test", "object", "chat.completion", "created", 1, "model", model,
                    "choices", List.of(Map.of("index", 0, "finish_reason", "stop",
                            "message", Map.of("role", "assistant", "content", answer))),
                    "usage", Map.of("prompt_tokens", 11, "completion_tokens", 7, "total_tokens", 18)));
            send(exchange, 200, json);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
