package org.esrp.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.esrp.local.KafkaBroker;
import org.esrp.local.PostgresServer;
import org.esrp.local.ServiceProcess;
import org.esrp.local.Signals;
import org.esrp.local.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault suite: the packaged services on the real broker and PostgreSQL while simulated annotators rate and a run
 * generates, through (1) kill -9 of annotation-service, (2) the broker stopped (SIGSTOP) 30 s, (3) PostgreSQL stopped
 * 20 s, (4) kill -9 of metrics-service and (5) kill -9 of generation-service mid-run. Counted at the end: accepted
 * ratings lost or doubled in the database, on the topic and on the leaderboard; answers per (dialogue, round); and the
 * leaderboard of the interrupted metrics-service against one computed from scratch by an instance that saw none of it.
 * The counts go to target/fault-suite.txt (RELIABILITY.md keeps them).
 */
class FaultSuiteIT {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String TOKEN = "e2e-admin-token";
    static final int ANNOTATORS = 8;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();

    static PostgresServer postgres;
    static KafkaBroker kafka;
    static ServiceProcess generation;
    static ServiceProcess annotation;
    static ServiceProcess metrics;
    static final List<String> report = new ArrayList<>();
    /** The broker's log folder: some 60 MB a run, which every run left in the machine's temporary folder. */
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        // A PostgreSQL and a broker of its own: the faults stop them, and the data left behind (thousands of answers
        // to embed) must not slow the other end-to-end tests.
        postgres = PostgresServer.start(0, null);
        work = Files.createTempDirectory("esrp-fault-suite");
        kafka = KafkaBroker.start(0, work.resolve("kafka"), Path.of("target", "fault-kafka.log"));
        generation = new ServiceProcess("generation-service", PlatformFlowIT.env(postgres, kafka, "fault_generation"));
        generation.environment().put("ESRP_REPLAY_ENABLED", "true");
        generation.environment().put("ESRP_REPLAY_DATA_DIR", dataDir().toAbsolutePath().toString());
        generation.environment().put("ESRP_GENERATION_ENDPOINT_HOSTS_ALLOWED", "127.0.0.1");
        // A dead replica's dialogues are taken over once its lease ends: short here, so the suite stays short.
        generation.environment().put("ESRP_GENERATION_LEASE", "10s");
        generation.environment().put("ESRP_GENERATION_HEARTBEAT", "3s");
        generation.start();
        annotation = new ServiceProcess("annotation-service", PlatformFlowIT.env(postgres, kafka, "fault_annotation"));
        // Shorter than the broker's 30 s stall, so that records in flight expire and the outbox sends them again.
        annotation.environment().put("MP_MESSAGING_OUTGOING_RATINGS_DELIVERY_TIMEOUT_MS", "15000");
        annotation.environment().put("MP_MESSAGING_OUTGOING_RATINGS_REQUEST_TIMEOUT_MS", "5000");
        annotation.start();
        metrics = metricsProcess("fault-metrics-" + UUID.randomUUID()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        Signals.resume(kafka.pid());
        Signals.resume(postgres.processIds());
        for (ServiceProcess service : new ServiceProcess[]{metrics, annotation, generation}) {
            if (service != null) {
                service.close();
            }
        }
        kafka.close();
        postgres.close();
        if (work != null) {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        Path out = Path.of("target", "fault-suite.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
    }

    @Test
    void noAcceptedRatingIsLostOrDoubledAndEveryAnswerIsStoredOnceThroughCrashesAndStalls() throws Exception {
        String study = post(generation, "/studies", Map.of("name", "fault-" + UUID.randomUUID())).path("id").asText();
        for (String responder : List.of("human", "deepseek-v3")) {
            String file = Files.readString(dataDir().resolve(responder + ".json"));
            call(generation, "POST", "/studies/" + study + "/imports/chatanime?responder=" + responder + "&kind="
                    + (responder.equals("human") ? "HUMAN" : "LLM"), file, 201);
        }
        List<String> characters = new ArrayList<>();
        get(generation, "/studies/" + study + "/characters").forEach(c -> characters.add(c.path("id").asText()));
        call(annotation, "PUT", "/studies/" + study + "/design", MAPPER.writeValueAsString(Map.of("ratersPerItem", 3, "minSeconds", 0)), 200);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < ANNOTATORS; i++) {
            tokens.add(post(annotation, "/annotators", Map.of("displayName", "crowd-" + i, "characterIds", characters)).path("token").asText());
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> progress(study).path("dialogueItems").asInt() >= 2000);

        Crowd crowd = new Crowd(study, tokens);
        crowd.start();
        try {
            phase("1 kill -9 annotation-service", crowd, () -> {
                annotation.kill();
                annotation.start();
            });
            phase("2 broker stopped 30 s", crowd, () -> stall(List.of(kafka.pid()), Duration.ofSeconds(30), null));
            phase("3 PostgreSQL stopped 20 s", crowd, () -> {
                // A rating sent while the database is stopped fails (503) and is sent again, same key, until stored.
                String prober = post(annotation, "/annotators", Map.of("displayName", "prober", "characterIds", characters)).path("token").asText();
                JsonNode task = MAPPER.readTree(send(annotation, "GET", "/tasks/next?study=" + study, null, Duration.ofSeconds(10), prober).body());
                Thread resend = new Thread(() -> {
                    sleepQuietly(3000);
                    crowd.submit(prober, task.path("taskId").asText(), UUID.randomUUID().toString(), Crowd.body(task));
                });
                resend.start();
                // an annotator whose token is not in the service's cache yet: its identity needs the database too
                String late = post(annotation, "/annotators", Map.of("displayName", "late", "characterIds", characters)).path("token").asText();
                stall(postgres.processIds(), Duration.ofSeconds(20), "/tasks/next?study=" + study + "&token=" + late);
                resend.join(60_000);
            });
            phase("4 kill -9 metrics-service", crowd, () -> {
                metrics.kill();
                metrics.start();
            });
        } finally {
            crowd.stop();
        }
        generationKilledMidRun();
        count(study, crowd);
    }

    // ------------------------------------------------------------------ phases

    interface Fault {
        void inject() throws Exception;
    }

    private static void phase(String name, Crowd crowd, Fault fault) throws Exception {
        int before = crowd.accepted.size();
        Thread.sleep(4000);
        long started = System.nanoTime();
        fault.inject();
        long faultMillis = (System.nanoTime() - started) / 1_000_000;
        Thread.sleep(6000);
        report.add(String.format("phase %-30s fault lasted %6d ms; ratings accepted meanwhile %5d; so far: ratings re-sent %d, "
                + "task requests failed %d", name, faultMillis, crowd.accepted.size() - before, crowd.retries.get(), crowd.failures.get()));
    }

    /** SIGSTOP, then, while stopped, how soon annotation-service says it is not ready and how soon a request is answered. */
    private static void stall(List<Long> pids, Duration length, String annotatorCall) throws Exception {
        Signals.pause(pids);
        long stopped = System.nanoTime();
        try {
            long notReady = -1;
            while (System.nanoTime() - stopped < Duration.ofSeconds(15).toNanos()) {
                if (status(annotation, "/q/health/ready", Duration.ofSeconds(10)) != 200) {
                    notReady = (System.nanoTime() - stopped) / 1_000_000;
                    break;
                }
                Thread.sleep(250);
            }
            long asked = System.nanoTime();
            int answer = status(annotation, "/studies/" + UUID.randomUUID() + "/progress", Duration.ofSeconds(30));
            long answered = (System.nanoTime() - asked) / 1_000_000;
            report.add(String.format("  readiness DOWN after %d ms; a request during the stall answered %d after %d ms", notReady, answer, answered));
            if (annotatorCall != null) {
                String token = annotatorCall.substring(annotatorCall.indexOf("&token=") + 7);
                String path = annotatorCall.substring(0, annotatorCall.indexOf("&token="));
                long sent = System.nanoTime();
                int status;
                try {
                    status = send(annotation, "GET", path, null, Duration.ofSeconds(30), token).statusCode();
                } catch (Exception e) {
                    status = -1;
                }
                long took = (System.nanoTime() - sent) / 1_000_000;
                report.add(String.format("  an annotator not seen before asked for a task during the stall: %d after %d ms", status, took));
                assertEquals(503, status, "a stalled database is a 503 for annotators too");
                assertTrue(took <= 8000, "answered within its time limit, took " + took + " ms");
            }
            assertTrue(notReady >= 0 && notReady <= 6000, "readiness DOWN within a few seconds, was " + notReady + " ms");
            assertTrue(answered <= 8000, "a request during the stall is answered within its time limit, took " + answered + " ms");
            long rest = length.toNanos() - (System.nanoTime() - stopped);
            if (rest > 0) {
                Thread.sleep(rest / 1_000_000);
            }
        } finally {
            Signals.resume(pids);
        }
        await().atMost(Duration.ofSeconds(60)).until(annotation::ready);
    }

    private static void generationKilledMidRun() throws Exception {
        String study = post(generation, "/studies", Map.of("name", "fault-run-" + UUID.randomUUID())).path("id").asText();
        call(generation, "POST", "/studies/" + study + "/imports/chatanime?responder=human&kind=HUMAN", firstCharacters("human.json", 2), 201);
        String replay = generation.url() + "/replay/v1";
        call(generation, "PUT", "/studies/" + study + "/simulator",
                MAPPER.writeValueAsString(Map.of("llm", Map.of("baseUrl", replay, "modelName", "simulator", "maxConcurrency", 16))), 200);
        String responder = post(generation, "/studies/" + study + "/responders", Map.of("name", "gpt-4.1", "kind", "LLM",
                "llm", Map.of("baseUrl", replay, "modelName", "gpt-4.1", "maxConcurrency", 16))).path("id").asText();
        String run = post(generation, "/studies/" + study + "/runs", Map.of()).path("id").asText();
        int total = get(generation, "/studies/" + study + "/runs/" + run).path("total").asInt();
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(100))
                .until(() -> get(generation, "/studies/" + study + "/runs/" + run).path("done").asInt() >= total * 2 / 5);
        int doneAtKill = get(generation, "/studies/" + study + "/runs/" + run).path("done").asInt();
        generation.kill();
        generation.start();
        long restarted = System.nanoTime();
        await().atMost(Duration.ofSeconds(600)).pollInterval(Duration.ofSeconds(1))
                .until(() -> "COMPLETED".equals(get(generation, "/studies/" + study + "/runs/" + run).path("status").asText()));
        long finishMillis = (System.nanoTime() - restarted) / 1_000_000;
        JsonNode finished = get(generation, "/studies/" + study + "/runs/" + run);
        List<ConsumerRecord<String, String>> records = Topics.read(kafka.bootstrapServers(), "esrp.responses",
                r -> r.value().contains(responder), total * 2, Duration.ofSeconds(120), Duration.ofSeconds(3));
        Map<String, Set<String>> idsPerRound = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            JsonNode answer = MAPPER.readTree(record.value());
            if (responder.equals(answer.path("responderId").asText())) {
                idsPerRound.computeIfAbsent(answer.path("dialogueId").asText() + "/" + answer.path("round").asInt(), k -> new HashSet<>())
                        .add(answer.path("responseId").asText());
            }
        }
        long twice = idsPerRound.values().stream().filter(ids -> ids.size() > 1).count();
        report.add(String.format("phase %-30s killed at %d/%d dialogues; finished %d ms after the restart: done %d, failed %d; "
                        + "(dialogue, round) pairs with an answer %d of %d, with two different answers %d; records %d",
                "5 kill -9 generation-service", doneAtKill, total, finishMillis, finished.path("done").asInt(),
                finished.path("failed").asInt(), idsPerRound.size(), total * 2, twice, records.size()));
        assertEquals(total, finished.path("done").asInt(), "every dialogue generated");
        assertEquals(total * 2, idsPerRound.size(), "an answer for every (dialogue, round)");
        assertEquals(0, twice, "no (dialogue, round) answered twice");
    }

    // ------------------------------------------------------------------ counts

    private static void count(String study, Crowd crowd) throws Exception {
        Set<String> accepted = crowd.accepted.keySet();
        // database: annotation-service's export
        List<String> stored = new ArrayList<>();
        // the leaderboard counts the ratings of dialogues; those of diversity sets go to the diversity table
        Set<String> dialogueRatings = new HashSet<>();
        for (String line : text(annotation, "/studies/" + study + "/ratings.jsonl").split("\n")) {
            if (!line.isBlank()) {
                JsonNode rating = MAPPER.readTree(line);
                stored.add(rating.path("ratingId").asText());
                if ("DIALOGUE".equals(rating.path("itemKind").asText())) {
                    dialogueRatings.add(rating.path("ratingId").asText());
                }
            }
        }
        Set<String> storedIds = new HashSet<>(stored);
        // topic
        List<ConsumerRecord<String, String>> published = Topics.read(kafka.bootstrapServers(), "esrp.ratings",
                r -> study.equals(r.key()), storedIds.size(), Duration.ofSeconds(120), Duration.ofSeconds(3));
        Set<String> publishedIds = new HashSet<>();
        for (ConsumerRecord<String, String> record : published) {
            publishedIds.add(MAPPER.readTree(record.value()).path("ratingId").asText());
        }
        // leaderboard: every rating counts (quality=off), from the interrupted instance and from a fresh one
        await().atMost(Duration.ofSeconds(120)).until(() -> ratingsOn(metrics, study) == dialogueRatings.size());
        ServiceProcess fresh = metricsProcess("fault-fresh-" + UUID.randomUUID()).start();
        String interrupted;
        String rebuilt;
        try {
            await().atMost(Duration.ofSeconds(180)).until(() -> ratingsOn(fresh, study) == dialogueRatings.size());
            interrupted = text(metrics, "/studies/" + study + "/leaderboard?quality=off");
            rebuilt = text(fresh, "/studies/" + study + "/leaderboard?quality=off");
        } finally {
            fresh.close();
        }
        int onBoard = ratingsOn(metrics, study);
        Set<String> lostDb = new HashSet<>(accepted);
        lostDb.removeAll(storedIds);
        Set<String> lostTopic = new HashSet<>(accepted);
        lostTopic.removeAll(publishedIds);
        report.add(String.format("ratings accepted by clients %d (client re-sends %d); database rows %d, distinct %d, lost %d, doubled %d",
                accepted.size(), crowd.retries.get(), stored.size(), storedIds.size(), lostDb.size(), stored.size() - storedIds.size()));
        report.add(String.format("topic esrp.ratings records %d, distinct %d, lost %d, re-published (same ratingId again) %d",
                published.size(), publishedIds.size(), lostTopic.size(), published.size() - publishedIds.size()));
        report.add(String.format("leaderboard ratings %d of %d stored dialogue ratings (lost %d, doubled %d); interrupted instance's "
                        + "leaderboard %s a fresh instance's", onBoard, dialogueRatings.size(), Math.max(0, dialogueRatings.size() - onBoard),
                Math.max(0, onBoard - dialogueRatings.size()),
                sameBoard(interrupted, rebuilt) ? "equals" : "DIFFERS FROM"));
        report.add("annotation-service /q/metrics since its last restart: " + metricLines(annotation, "esrp_outbox_republished_total", "esrp_dlq_records_total"));
        report.forEach(System.out::println);
        assertTrue(crowd.retries.get() > 0, "a rating was sent again after a failure");
        assertEquals(Set.of(), lostDb, "accepted ratings missing in the database");
        assertEquals(stored.size(), storedIds.size(), "a rating stored twice");
        assertEquals(Set.of(), lostTopic, "accepted ratings missing on the topic");
        assertEquals(dialogueRatings.size(), onBoard, "the leaderboard counts every stored rating of a dialogue once");
        assertTrue(storedIds.size() >= accepted.size());
        assertTrue(sameBoard(interrupted, rebuilt), "the interrupted leaderboard equals one computed from scratch");
    }

    /** The same leaderboard, but for when each was computed. */
    private static boolean sameBoard(String a, String b) throws Exception {
        JsonNode left = MAPPER.readTree(a);
        JsonNode right = MAPPER.readTree(b);
        ((com.fasterxml.jackson.databind.node.ObjectNode) left).remove(List.of("computedAt", "asOf"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) right).remove(List.of("computedAt", "asOf"));
        return left.equals(right);
    }

    private static List<String> metricLines(ServiceProcess service, String... names) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String line : text(service, "/q/metrics").split("\n")) {
            for (String name : names) {
                if (line.startsWith(name + "{")) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    private static JsonNode progress(String study) {
        try {
            HttpResponse<String> response = send(annotation, "GET", "/studies/" + study + "/progress", null, Duration.ofSeconds(10));
            return response.statusCode() == 200 ? MAPPER.readTree(response.body()) : MAPPER.createObjectNode();
        } catch (Exception e) {
            return MAPPER.createObjectNode();
        }
    }

    private static int ratingsOn(ServiceProcess instance, String study) {
        try {
            HttpResponse<String> response = send(instance, "GET", "/studies/" + study + "/leaderboard?quality=off", null, Duration.ofSeconds(10));
            if (response.statusCode() != 200) {
                return -1;
            }
            int sum = 0;
            for (JsonNode row : MAPPER.readTree(response.body()).path("groups").path(0).path("rows")) {
                sum += row.path("ratings").asInt();
            }
            return sum;
        } catch (Exception e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------ simulated annotators

    /**
     * Annotators that take a task, rate it and send the rating until it is answered, with the same Idempotency-Key
     * and body, as a front end whose connection failed would; a 409 (the task expired meanwhile) gives the rating up.
     */
    static final class Crowd {

        final String study;
        final List<String> tokens;
        final Map<String, String> accepted = new ConcurrentHashMap<>();
        final AtomicInteger retries = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Thread> threads = new ArrayList<>();

        Crowd(String study, List<String> tokens) {
            this.study = study;
            this.tokens = tokens;
        }

        void start() {
            for (String token : tokens) {
                Thread thread = new Thread(() -> rate(token), "annotator-" + threads.size());
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(60_000);
            }
        }

        private void rate(String token) {
            while (running.get()) {
                try {
                    HttpResponse<String> task = HTTP.send(HttpRequest.newBuilder(URI.create(annotation.url() + "/tasks/next?study=" + study))
                            .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(15)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (task.statusCode() >= 500) {
                        failures.incrementAndGet();
                    }
                    if (task.statusCode() != 200) {
                        Thread.sleep(task.statusCode() == 204 ? 2000 : 300);
                        continue;
                    }
                    JsonNode view = MAPPER.readTree(task.body());
                    submit(token, view.path("taskId").asText(), UUID.randomUUID().toString(), body(view));
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    failures.incrementAndGet();
                    sleepQuietly(300);
                }
            }
        }

        /** Every metric of the task's rubric scored alike, 1-5 by the task id. */
        static String body(JsonNode task) {
            Map<String, Integer> scores = new HashMap<>();
            int score = 1 + Math.floorMod(task.path("taskId").asText().hashCode(), 5);
            task.path("rubric").forEach(metric -> scores.put(metric.path("key").asText(), score));
            try {
                return MAPPER.writeValueAsString(Map.of("scores", scores, "durationMs", 30_000));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        void submit(String token, String taskId, String key, String body) {
            for (int attempt = 0; attempt < 600; attempt++) {
                try {
                    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(annotation.url() + "/tasks/" + taskId + "/ratings"))
                                    .header("Authorization", "Bearer " + token).header("Idempotency-Key", key)
                                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(15))
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 201 || answer.statusCode() == 200) {
                        accepted.put(MAPPER.readTree(answer.body()).path("ratingId").asText(), key);
                        return;
                    }
                    if (answer.statusCode() < 500) {
                        return;
                    }
                } catch (java.io.IOException e) {
                    // the service is down or restarting: send it again
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                retries.incrementAndGet();
                sleepQuietly(500);
            }
        }
    }

    // ------------------------------------------------------------------ plumbing

    static ServiceProcess metricsProcess(String applicationId) throws Exception {
        Map<String, String> env = ServiceProcess.streams(kafka.bootstrapServers(), applicationId,
                Path.of("target", "fault-state", applicationId).toAbsolutePath(), false, TOKEN);
        return new ServiceProcess("metrics-service", env, ServiceProcess.freePort(), "384m", Path.of("target", applicationId + ".log"));
    }

    static JsonNode post(ServiceProcess service, String path, Object body) throws Exception {
        HttpResponse<String> response = answered(service, "POST", path, MAPPER.writeValueAsString(body), Duration.ofSeconds(60));
        assertTrue(response.statusCode() == 201 || response.statusCode() == 200, path + ": " + response.statusCode() + " " + response.body());
        return MAPPER.readTree(response.body());
    }

    static JsonNode get(ServiceProcess service, String path) throws Exception {
        return MAPPER.readTree(text(service, path));
    }

    static String text(ServiceProcess service, String path) throws Exception {
        HttpResponse<String> response = answered(service, "GET", path, null, Duration.ofSeconds(60));
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return response.body();
    }

    static void call(ServiceProcess service, String method, String path, String body, int expected) throws Exception {
        HttpResponse<String> response = answered(service, method, path, body, Duration.ofSeconds(120));
        assertEquals(expected, response.statusCode(), path + ": " + response.body());
    }

    static int status(ServiceProcess service, String path, Duration timeout) {
        try {
            return send(service, "GET", path, null, timeout).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * As a front end does: a 503 (the database did not answer within its time limit, which a loaded 2-core machine can
     * take while thousands of answers are being ingested) is sent again after its Retry-After, for up to a minute.
     */
    static HttpResponse<String> answered(ServiceProcess service, String method, String path, String body, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> response = send(service, method, path, body, timeout);
        while (response.statusCode() == 503 && System.nanoTime() < deadline) {
            Thread.sleep(1000L * Long.parseLong(response.headers().firstValue("Retry-After").orElse("1")));
            response = send(service, method, path, body, timeout);
        }
        return response;
    }

    static HttpResponse<String> send(ServiceProcess service, String method, String path, String body, Duration timeout) throws Exception {
        return send(service, method, path, body, timeout, TOKEN);
    }

    static HttpResponse<String> send(ServiceProcess service, String method, String path, String body, Duration timeout, String token)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url() + path)).timeout(timeout)
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The dialogues of the first {@code characters} characters of a ChatAnime file. */
    static String firstCharacters(String file, int characters) throws Exception {
        JsonNode all = MAPPER.readTree(dataDir().resolve(file).toFile());
        com.fasterxml.jackson.databind.node.ObjectNode subset = MAPPER.createObjectNode();
        var names = all.fieldNames();
        for (int i = 0; i < characters && names.hasNext(); i++) {
            String name = names.next();
            subset.set(name, all.get(name));
        }
        return MAPPER.writeValueAsString(subset);
    }

    static Path dataDir() {
        return Path.of(System.getProperty("esrp.data.dir", "../../../shared/data/chatanime"));
    }
}
