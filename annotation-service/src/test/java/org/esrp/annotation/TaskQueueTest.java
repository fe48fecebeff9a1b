package org.esrp.annotation;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.esrp.annotation.Streams.Dialogue;
import org.esrp.local.LocalInfraResource;
import org.esrp.local.PostgresServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The study's queue: k exact under a crowd, responders rated at the same pace, leases for offline front ends, batches. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "annotation"))
class TaskQueueTest {

    private static final String CHARACTER = "《辉夜大小姐想让我告白》的四宫辉夜";

    @TestHTTPResource("/")
    URI base;

    @Test
    void sixtyFourAnnotatorsRacingForFiftyItemsLeaveEachWithExactlyKRatingsAndATrueCounter() throws Exception {
        UUID study = UUID.randomUUID();
        UUID character = UUID.randomUUID();
        List<Dialogue> dialogues = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            dialogues.add(Dialogue.of(study, character, CHARACTER, UUID.randomUUID(), "model-" + i % 5, "LLM"));
        }
        Api.design(study, Map.of("ratersPerItem", 3, "minSeconds", 0, "diversitySetSize", 20));
        Streams.publishDialogues(dialogues, 1, 2);
        Api.awaitItems(study, 50);
        List<Api.Registered> crowd = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            crowd.add(Api.annotator("crowd-" + i, List.of(character), List.of()));
        }

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService pool = Executors.newFixedThreadPool(crowd.size());
        List<Future<Integer>> rated = new ArrayList<>();
        try {
            for (Api.Registered annotator : crowd) {
                rated.add(pool.submit(rateUntilNothingIsLeft(http, annotator, study)));
            }
            int total = 0;
            for (Future<Integer> f : rated) {
                total += f.get();
            }
            assertEquals(150, total, "every slot taken once, none twice");
        } finally {
            pool.shutdownNow();
        }

        Map<String, List<JsonNode>> byDialogue = Api.export(study).stream()
                .collect(Collectors.groupingBy(r -> r.path("dialogueId").asText()));
        assertEquals(50, byDialogue.size());
        byDialogue.forEach((dialogue, ratings) -> {
            assertEquals(3, ratings.size(), dialogue);
            assertEquals(3, ratings.stream().map(r -> r.path("annotatorId").asText()).distinct().count(), dialogue);
        });
        try (Connection db = database()) {
            assertEquals(0, count(db, """
                    SELECT count(*) FROM item i WHERE i.study_id = ?::uuid
                      AND (i.ratings <> (SELECT count(*) FROM rating r WHERE r.item_id = i.id) OR i.open_slots <> 0)""", study),
                    "every stored counter equals the real count, and no slot is left or overdrawn");
            assertEquals(0, count(db, "SELECT count(*) FROM task t JOIN item i ON i.id = t.item_id WHERE i.study_id = ?::uuid AND t.status = 'LEASED'", study));
        }
    }

    @Test
    void elevenRespondersAreRatedAtTheSamePaceAndOnTheSameScenarios() throws Exception {
        UUID study = UUID.randomUUID();
        List<UUID> characters = List.of(UUID.randomUUID(), UUID.randomUUID());
        Map<UUID, String> responderOf = new HashMap<>();
        Map<String, String> pairOf = new HashMap<>();
        List<Dialogue> dialogues = new ArrayList<>();
        for (int r = 0; r < 11; r++) {
            UUID responder = UUID.randomUUID();
            String name = r == 10 ? "fan" : "model-" + r;
            responderOf.put(responder, name);
            for (UUID character : characters) {
                for (int s = 0; s < 15; s++) {
                    UUID scenario = UUID.nameUUIDFromBytes((study + "/" + character + "/" + s).getBytes());
                    Dialogue d = new Dialogue(study, UUID.randomUUID(), character, CHARACTER + character.toString().substring(0, 4),
                            scenario, responder, name, r == 10 ? "HUMAN" : "LLM", r == 10 ? null : name);
                    dialogues.add(d);
                    pairOf.put(d.dialogueId().toString(), character + "/" + s);
                }
            }
        }
        // The fans' answers arrive first, as they did in the demo study: arrival order must not decide.
        dialogues.sort((a, b) -> Boolean.compare(!"HUMAN".equals(a.kind()), !"HUMAN".equals(b.kind())));
        Api.design(study, Map.of("ratersPerItem", 3, "minSeconds", 0, "diversitySetSize", 5));
        Streams.publishDialogues(dialogues, 1, 2);
        Api.awaitItems(study, 330);
        await().atMost(Duration.ofSeconds(60)).until(() -> given().header("Authorization", Api.ADMIN)
                .get("/studies/{id}/progress", study).then().extract().<Integer>path("diversityItems") == 66);

        List<Api.Registered> annotators = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            annotators.add(Api.annotator("pace-" + i, characters, List.of()));
        }
        int ratings = 0;
        while (ratings < 330) {
            for (Api.Registered annotator : annotators) {
                if (ratings == 330) {
                    break;
                }
                Response task = Api.next(annotator, study).then().statusCode(200).extract().response();
                Map<String, Object> scores = "DIVERSITY".equals(task.path("kind")) ? Map.of("diversity", 3) : Api.scores(3);
                Api.rate(annotator, task.path("taskId"), UUID.randomUUID().toString(), scores, 20_000).then().statusCode(201);
                ratings++;
            }
        }

        List<JsonNode> export = Api.export(study);
        assertEquals(330, export.size());
        Map<String, Long> perResponder = export.stream()
                .collect(Collectors.groupingBy(r -> responderOf.get(UUID.fromString(r.path("responderId").asText())), Collectors.counting()));
        assertEquals(11, perResponder.size(), perResponder.toString());
        perResponder.forEach((responder, n) -> assertTrue(n >= 24 && n <= 36, responder + " got " + n + " of 330: " + perResponder));

        // Every responder's answer to a scenario is handed out together, so a partial leaderboard compares them on
        // the same pairs: most rated pairs are rated for all eleven.
        Map<String, Set<String>> pairsPerResponder = new HashMap<>();
        for (JsonNode r : export) {
            if ("DIALOGUE".equals(r.path("itemKind").asText())) {
                pairsPerResponder.computeIfAbsent(r.path("responderId").asText(), k -> new HashSet<>())
                        .add(pairOf.get(r.path("dialogueId").asText()));
            }
        }
        Set<String> union = pairsPerResponder.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
        Set<String> shared = new HashSet<>(union);
        pairsPerResponder.values().forEach(shared::retainAll);
        assertTrue(!union.isEmpty() && shared.size() >= union.size() - 2,
                "pairs rated for every responder: " + shared.size() + " of " + union.size());
    }

    @Test
    void anAnnotatorOfTwoCharactersOfThreeIsHandedTheirItemsInTheStudysOrder() throws Exception {
        UUID study = UUID.randomUUID();
        List<UUID> characters = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        UUID responder = UUID.randomUUID();
        List<Dialogue> dialogues = new ArrayList<>();
        for (UUID character : characters) {
            for (int s = 0; s < 8; s++) {
                dialogues.add(new Dialogue(study, UUID.randomUUID(), character, CHARACTER + character.toString().substring(0, 4),
                        UUID.randomUUID(), responder, "model-0", "LLM", "model-0"));
            }
        }
        Api.design(study, Map.of("ratersPerItem", 3, "minSeconds", 0, "diversitySetSize", 20));
        Streams.publishDialogues(dialogues, 1, 2);
        Api.awaitItems(study, 24);
        Api.Registered annotator = Api.annotator("two-of-three", characters.subList(0, 2), List.of());

        for (int i = 0; i < 16; i++) {
            Response task = Api.next(annotator, study).then().statusCode(200).extract().response();
            Api.rate(annotator, task.path("taskId"), UUID.randomUUID().toString(), Api.scores(4), 20_000).then().statusCode(201);
        }
        Api.next(annotator, study).then().statusCode(204);

        // the study's order (item_queue's) over the annotator's two characters, against the order the leases were taken
        try (Connection db = database()) {
            List<String> studyOrder = ids(db, """
                    SELECT id FROM item WHERE study_id = ?::uuid AND character_id IN (?::uuid, ?::uuid) AND NOT gold
                    ORDER BY priority, id""", study, characters.get(0), characters.get(1));
            List<String> handedOut = ids(db, "SELECT item_id FROM task WHERE annotator_id = ?::uuid ORDER BY leased_at",
                    UUID.fromString(annotator.id()));
            assertEquals(16, studyOrder.size());
            assertEquals(studyOrder, handedOut);
        }
    }

    @Test
    void theSameIdempotencyKeyWithAnotherBodyIsRefusedAndStoresNothing() throws Exception {
        UUID study = UUID.randomUUID();
        UUID character = UUID.randomUUID();
        Streams.publishDialogues(List.of(Dialogue.of(study, character, CHARACTER, UUID.randomUUID(), "m", "LLM")), 1, 2);
        Api.awaitItems(study, 1);
        Api.Registered annotator = Api.annotator("keys", List.of(character), List.of());
        String taskId = Api.next(annotator, study).path("taskId");
        String key = UUID.randomUUID().toString();

        Api.rate(annotator, taskId, key, Api.scores(4), 30_000).then().statusCode(201);
        Api.rate(annotator, taskId, key, Api.scores(2), 30_000).then().statusCode(422)
                .contentType("application/problem+json").body("errors[0].field", org.hamcrest.Matchers.equalTo("Idempotency-Key"));
        Api.rate(annotator, taskId, key, Api.scores(4), 31_000).then().statusCode(422);
        Api.rate(annotator, taskId, key, Api.scores(4), 30_000).then().statusCode(200);
        List<JsonNode> stored = Api.export(study);
        assertEquals(1, stored.size());
        assertEquals(4, stored.get(0).path("scores").path("fluency").asInt(), "the first request stands");
        given().header("Authorization", annotator.bearer()).contentType(ContentType.JSON)
                .body(Map.of("scores", Api.scores(4))).post("/tasks/{id}/ratings", taskId)
                .then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.equalTo("Idempotency-Key"));
    }

    @Test
    void anOfflineFrontEndLeasesSeveralTasksAndSendsTheirRatingsInOneBatch() throws Exception {
        UUID study = UUID.randomUUID();
        UUID character = UUID.randomUUID();
        List<Dialogue> dialogues = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            dialogues.add(Dialogue.of(study, character, CHARACTER, UUID.randomUUID(), "m" + i, "LLM"));
        }
        Api.design(study, Map.of("ratersPerItem", 1, "minSeconds", 0, "diversitySetSize", 20));
        Streams.publishDialogues(dialogues, 1, 2);
        Api.awaitItems(study, 6);
        Api.Registered offline = Api.annotator("offline", List.of(character), List.of());
        Api.Registered other = Api.annotator("other", List.of(character), List.of());

        List<String> tasks = given().header("Authorization", offline.bearer()).queryParam("study", study.toString())
                .queryParam("count", 5).get("/tasks").then().statusCode(200).extract().jsonPath().getList("taskId");
        assertEquals(5, tasks.size());
        assertEquals(5, new HashSet<>(tasks).size());
        assertEquals(tasks, given().header("Authorization", offline.bearer()).queryParam("study", study.toString())
                .queryParam("count", 5).get("/tasks").then().statusCode(200).extract().jsonPath().getList("taskId"),
                "asking again returns the same live leases");
        String otherTask = Api.next(other, study).then().statusCode(200).extract().path("taskId");
        assertTrue(!tasks.contains(otherTask), "k = 1: the sixth item goes to the other annotator");
        assertEquals(204, Api.next(Api.annotator("late", List.of(character), List.of()), study).statusCode());

        List<Map<String, Object>> batch = new ArrayList<>();
        for (String task : tasks) {
            batch.add(Map.of("taskId", task, "idempotencyKey", "offline-" + task, "scores", Api.scores(4), "durationMs", 40_000));
        }
        batch.set(2, Map.of("taskId", tasks.get(2), "idempotencyKey", "offline-bad", "scores", Map.of("fluency", 9), "durationMs", 40_000));
        batch.add(Map.of("taskId", otherTask, "idempotencyKey", "offline-foreign", "scores", Api.scores(4)));
        batch.add(Map.of("taskId", "not-a-task", "idempotencyKey", "offline-x", "scores", Api.scores(4)));
        JsonNode results = Streams.MAPPER.readTree(sendBatch(offline, batch)).path("results");
        assertEquals(7, results.size());
        assertEquals(List.of(201, 201, 400, 201, 201, 403, 400), statuses(results));
        assertEquals("scores.fluency", results.get(2).path("problem").path("errors").get(0).path("field").asText());
        assertEquals("taskId", results.get(6).path("problem").path("errors").get(0).path("field").asText());
        assertEquals(4, Api.export(study).size(), "the refused entries stored nothing");

        batch.set(2, Map.of("taskId", tasks.get(2), "idempotencyKey", "offline-fixed", "scores", Api.scores(2), "durationMs", 40_000));
        JsonNode again = Streams.MAPPER.readTree(sendBatch(offline, batch.subList(0, 5))).path("results");
        assertEquals(List.of(200, 200, 201, 200, 200), statuses(again), "sent again, only the fixed entry is new");
        assertEquals(results.get(0).path("rating").path("ratingId"), again.get(0).path("rating").path("ratingId"));
        assertEquals(5, Api.export(study).size());

        given().urlEncodingEnabled(false).header("Authorization", offline.bearer()).contentType(ContentType.JSON)
                .body(Map.of("ratings", java.util.Collections.nCopies(101, batch.get(0)))).post("/tasks/ratings:batch")
                .then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.equalTo("ratings"));
        given().header("Authorization", offline.bearer()).queryParam("study", study.toString()).queryParam("count", 101)
                .get("/tasks").then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.equalTo("count"));
    }

    @Test
    void anAbandonedLeaseReturnsToTheQueueWithoutAnyoneAsking() throws Exception {
        UUID study = UUID.randomUUID();
        UUID character = UUID.randomUUID();
        Api.design(study, Map.of("ratersPerItem", 1, "leaseSeconds", 2));
        Streams.publishDialogues(List.of(Dialogue.of(study, character, CHARACTER, UUID.randomUUID(), "m", "LLM")), 1, 2);
        Api.awaitItems(study, 1);
        String task = Api.next(Api.annotator("gone", List.of(character), List.of()), study).then().statusCode(200).extract().path("taskId");
        try (Connection db = database()) {
            assertEquals(0, count(db, "SELECT open_slots FROM item WHERE study_id = ?::uuid", study));
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> count(db, "SELECT open_slots FROM item WHERE study_id = ?::uuid", study) == 1);
            assertEquals(1, count(db, "SELECT count(*) FROM task WHERE id = ?::uuid AND status = 'EXPIRED'", UUID.fromString(task)));
        }
    }

    private Callable<Integer> rateUntilNothingIsLeft(HttpClient http, Api.Registered annotator, UUID study) {
        return () -> {
            int rated = 0;
            while (true) {
                HttpResponse<String> task = http.send(HttpRequest.newBuilder(base.resolve("/tasks/next?study=" + study))
                        .header("Authorization", annotator.bearer()).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (task.statusCode() == 204) {
                    return rated;
                }
                assertEquals(200, task.statusCode(), task.body());
                String taskId = Streams.MAPPER.readTree(task.body()).path("taskId").asText();
                String body = Streams.MAPPER.writeValueAsString(Map.of("scores", Api.scores(3), "durationMs", 20_000));
                HttpResponse<String> rating = http.send(HttpRequest.newBuilder(base.resolve("/tasks/" + taskId + "/ratings"))
                        .header("Authorization", annotator.bearer()).header("Idempotency-Key", UUID.randomUUID().toString())
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(201, rating.statusCode(), rating.body());
                rated++;
            }
        };
    }

    private static String sendBatch(Api.Registered annotator, List<Map<String, Object>> ratings) {
        // As browsers and curl send it: the colon unencoded.
        return given().urlEncodingEnabled(false).header("Authorization", annotator.bearer()).contentType(ContentType.JSON)
                .body(Map.of("ratings", ratings)).post("/tasks/ratings:batch")
                .then().statusCode(200).extract().asString();
    }

    private static List<Integer> statuses(JsonNode results) {
        List<Integer> statuses = new ArrayList<>();
        results.forEach(r -> statuses.add(r.path("status").asInt()));
        return statuses;
    }

    private static Connection database() throws SQLException {
        return DriverManager.getConnection(ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class),
                PostgresServer.USER, PostgresServer.PASSWORD);
    }

    private static List<String> ids(Connection db, String sql, UUID... parameters) throws SQLException {
        try (var statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i].toString());
            }
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        }
    }

    private static long count(Connection db, String sql, UUID id) throws SQLException {
        try (var statement = db.prepareStatement(sql)) {
            statement.setString(1, id.toString());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
