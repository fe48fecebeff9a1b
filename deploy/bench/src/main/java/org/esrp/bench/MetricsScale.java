package org.esrp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.esrp.events.RatingEvent;
import org.esrp.events.ResponseEvent;
import org.esrp.local.KafkaBroker;
import org.esrp.local.Prometheus;
import org.esrp.local.ServiceProcess;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark of metrics-service at the seed study's size and beyond (deploy/bench/metrics-scale.sh runs it). On a real
 * Kafka broker (deploy/local's), with the demo study's 26,400 answers on esrp.responses, it puts 10k, 132k and 1M
 * synthetic ratings of the demo study's dialogues on esrp.ratings and, at each size, with the packaged metrics-service:
 * the catch-up of a fresh instance (start to ready, and the leaderboard counting every rating) against the raw read
 * rate of the same topics by a bare consumer (the anchor, same run) and by a bare Kafka Streams application with the same
 * guarantees and one store write per record ({@link EngineFloor}); GET latency of leaderboard, agreement, raters and
 * diversity; the freshness of every rating on 20 open leaderboard streams at 500 ratings/s, beside the broker's share of
 * it (the same ratings read by a bare consumer); restart-to-ready after a
 * clean stop and after kill -9; resident memory.
 */
public final class MetricsScale {

    static final String ADMIN_TOKEN = "bench-admin-token";

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    static final List<String> ENDPOINTS = List.of("leaderboard", "agreement", "raters", "diversity");
    static final boolean EMBEDDINGS = !"false".equals(System.getProperty("bench.embeddings"));
    /** Only the catch-up and its anchor (BENCH_CATCH_UP_ONLY=true): A/B runs of the catch-up in a third of the time. */
    static final boolean CATCH_UP_ONLY = Boolean.getBoolean("bench.catch-up-only");
    /** The engine floor beside the anchor (BENCH_FLOOR=false leaves it out). */
    static final boolean FLOOR = !"false".equals(System.getProperty("bench.floor"));

    private final StringBuilder report = new StringBuilder();
    private final Path work;
    private final KafkaBroker broker;
    private final SyntheticStudy study;
    private final String heap;
    private long published;

    private MetricsScale(Path work, KafkaBroker broker, SyntheticStudy study, String heap) {
        this.work = work;
        this.broker = broker;
        this.study = study;
        this.heap = heap;
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(System.getProperty("esrp.data.dir"));
        Path out = Path.of(System.getProperty("bench.out", "metrics-scale.txt"));
        String heap = System.getProperty("bench.heap", ServiceProcess.METRICS_HEAP);
        long[] sizes = java.util.Arrays.stream(System.getProperty("bench.sizes", "10000,132000,1000000").split(","))
                .mapToLong(Long::parseLong).toArray();
        // BENCH_WORK keeps the broker's data (the answers, their embeddings, the ratings published so far) for the next run
        Path work = System.getProperty("bench.work") == null ? Files.createTempDirectory("esrp-bench-metrics-")
                : Files.createDirectories(Path.of(System.getProperty("bench.work")));
        KafkaBroker broker = KafkaBroker.start(0, work.resolve("kafka/data"), work.resolve("kafka.log"));
        try {
            MetricsScale bench = new MetricsScale(work, broker, new SyntheticStudy(data), heap);
            bench.run(sizes);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, bench.report.toString(), StandardCharsets.UTF_8);
            System.out.println("written " + out.toAbsolutePath());
        } finally {
            broker.close();
        }
        System.exit(0);
    }

    private void run(long[] sizes) throws Exception {
        line("metrics-service at scale: " + Instant.now());
        line("machine: " + machine());
        line("broker: Kafka 4.1.2 KRaft (deploy/local), one node; metrics-service: packaged jar, -Xmx" + heap
                + " " + ServiceProcess.NIO_BUFFER_CACHE + (JAVA_OPTIONS.isEmpty() ? "" : " " + JAVA_OPTIONS)
                + ", embeddings " + (EMBEDDINGS ? "on" : "off") + "; the driver, the broker and the service share the machine");
        line("study: the demo study's dialogues (ChatAnime, 20 characters x 60 scenarios x 11 responders), "
                + study.answers.size() + " answers; synthetic ratings of its " + study.dialogues.size() + " dialogues, "
                + SyntheticStudy.ANNOTATORS + " annotators, planted responder quality and annotator severity");
        line("");
        long start = System.nanoTime();
        Path kept = work.resolve("published");
        if (Files.exists(kept)) {
            published = Long.parseLong(Files.readString(kept).trim());
            line(String.format(Locale.ROOT, "a kept broker: the answers, their embeddings and %,d ratings are there", published));
        } else {
            publish(ResponseEvent.TOPIC, study.answers.stream().map(a -> new Keyed(a.studyId().toString(), bytes(a))).toList());
            line(String.format(Locale.ROOT, "answers published: %d in %.1f s", study.answers.size(), seconds(start)));
            if (EMBEDDINGS) {
                prepareEmbeddings();
            }
            Files.writeString(kept, "0");
        }
        for (long size : sizes) {
            line("");
            line("== " + String.format(Locale.ROOT, "%,d", size) + " ratings ==");
            atSize(size);
        }
    }

    /** The embeddings of the 26,400 answers, computed once by an instance and kept on the derived topic for the others. */
    private void prepareEmbeddings() throws Exception {
        long start = System.nanoTime();
        try (ServiceProcess instance = instance("esrp-metrics-bench-prepare", "prepare")) {
            instance.start();
            long embedded = 0;
            while (embedded < study.answers.size()) {
                Thread.sleep(5000);
                embedded = count("esrp-metrics.derived", key -> key.startsWith("embedding/"));
                System.out.printf("embeddings: %d of %d%n", embedded, study.answers.size());
            }
        }
        line(String.format(Locale.ROOT, "embeddings of every answer computed once (kept on the derived topic): %.0f s", seconds(start)));
    }

    private void atSize(long size) throws Exception {
        long start = System.nanoTime();
        List<Keyed> batch = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer(20)) {
            for (long i = published; i < size; i++) {
                RatingEvent rating = study.rating(i);
                producer.send(new ProducerRecord<>(RatingEvent.TOPIC, rating.key(), bytes(rating)));
            }
            producer.flush();
        }
        line(String.format(Locale.ROOT, "ratings published: %,d new (%,d in all) in %.1f s", Math.max(0, size - published),
                Math.max(size, published), seconds(start)));
        published = Math.max(size, published);
        Files.writeString(work.resolve("published"), String.valueOf(published));

        double anchor = bareRead();
        long records = published + study.answers.size();
        EngineFloor.Rates floor = FLOOR ? EngineFloor.run(broker.bootstrapServers(), List.of(ResponseEvent.TOPIC, RatingEvent.TOPIC),
                records, work.resolve("state/engine-floor")) : null;

        String appId = "esrp-metrics-bench-" + size + "-" + System.currentTimeMillis();
        try (ServiceProcess instance = instance(appId, "a-" + size); Rss rss = new Rss()) {
            long launched = System.nanoTime();
            long[] machineBefore = Cpu.machine();
            instance.launch();
            rss.watch(instance.pid());
            instance.awaitReady(Duration.ofMinutes(30));
            double catchUp = seconds(launched);
            double instanceCpu = Cpu.seconds(instance.pid());
            long[] machineAfter = Cpu.machine();
            long counted = ratingsOnLeaderboard(instance);
            line(String.format(Locale.ROOT, "catch-up of a fresh instance (JVM start to ready): %.1f s for %,d records: %,.0f records/s = %.2f of the"
                    + " anchor; the leaderboard counts %,d of %,d ratings", catchUp, records, records / catchUp, records / catchUp / anchor,
                    counted, published));
            // wall time swings with what else the two cores do; the instance's own CPU time does not, so A/B runs compare it
            line(String.format(Locale.ROOT, "  the instance's CPU time through the catch-up: %.1f s (%.1f ms per 1,000 records); the machine was %.0f%% busy",
                    instanceCpu, instanceCpu * 1e6 / records, Cpu.busyPercent(machineBefore, machineAfter)));
            line(String.format(Locale.ROOT, "anchor: a bare consumer reads the same topics at %,.0f records/s", anchor));
            if (floor != null) {
                line(String.format(Locale.ROOT, "engine floor: a bare Kafka Streams application (exactly-once, one changelogged store write per"
                        + " record, nothing parsed) reads them at %,.0f records/s from its start = %.2f of the anchor (%,.0f records/s from its"
                        + " first record)", floor.fromStart(), floor.fromStart() / anchor, floor.fromFirstRecord()));
            }
            line(String.format(Locale.ROOT, "resident memory after catch-up: %d MiB", rss.now() >> 10));
            if (CATCH_UP_ONLY) {
                return;
            }
            line(String.format(Locale.ROOT, "automatic diversity of every responder there %.1f s after ready (computed in the background, or "
                    + "read from the derived topic)", settle(instance)));

            // A fresh JVM compiles its code while the first requests come: the first 400 per endpoint are reported as
            // they are, then 2,000 more per endpoint let the JIT finish before the steady latency is measured.
            for (String endpoint : ENDPOINTS) {
                line("GET /studies/{id}/" + endpoint + " (quiet, 8 clients, the first 400 requests after ready): "
                        + getLatency(instance, endpoint, 8, 50).summary());
            }
            for (String endpoint : ENDPOINTS) {
                getLatency(instance, endpoint, 8, 250);
            }
            for (String endpoint : ENDPOINTS) {
                line("GET /studies/{id}/" + endpoint + " (quiet, 8 clients, steady: after 2,400 requests per endpoint): "
                        + getLatency(instance, endpoint, 8, 250).summary());
            }
            stream(instance);
            for (String endpoint : ENDPOINTS) {
                line("GET /studies/{id}/" + endpoint + " after the stream (quiet, 8 clients): " + getLatency(instance, endpoint, 8, 50).summary());
            }
            line(String.format(Locale.ROOT, "resident memory: %d MiB now, %d MiB at most", rss.now() >> 10, rss.max() >> 10));

            String before = get(instance, "leaderboard");
            instance.close();
            // the restarts run without the flight recording of the catch-up
            instance.environment().remove("JAVA_TOOL_OPTIONS");
            withJavaOptions(instance.environment(), "");
            long restarted = System.nanoTime();
            instance.launch();
            rss.watch(instance.pid());
            instance.awaitReady(Duration.ofMinutes(10));
            double clean = seconds(restarted);
            boolean same = before.equals(get(instance, "leaderboard"));
            instance.kill();
            long killed = System.nanoTime();
            instance.launch();
            rss.watch(instance.pid());
            instance.awaitReady(Duration.ofMinutes(10));
            double afterKill = seconds(killed);
            boolean sameAfterKill = before.equals(get(instance, "leaderboard"));
            line(String.format(Locale.ROOT, "restart to ready: %.1f s after a clean stop (leaderboard byte-identical: %s), %.1f s after kill -9 "
                    + "(state restored from the changelog; byte-identical: %s)", clean, same, afterKill, sameAfterKill));
            line(String.format(Locale.ROOT, "resident memory after the restarts: %d MiB", rss.now() >> 10));
        }
    }

    /**
     * 20 open leaderboard streams while ratings arrive at 500/s for 20 s: how long until each rating shows on each.
     * Measured after the same load for 15 s unmeasured: both JVMs compile their code during the first seconds of it.
     */
    private void stream(ServiceProcess instance) throws Exception {
        int warmUp = Integer.getInteger("bench.stream.warm-up", 15);
        if (warmUp > 0) {
            stream(instance, warmUp, false);
        }
        String before = scrape(instance);
        stream(instance, Integer.getInteger("bench.stream.seconds", 20), true);
        String after = scrape(instance);
        for (String view : List.of("leaderboard", "raters", "agreement")) {
            String label = "view=\"" + view + "\"";
            double count = Prometheus.value(after, "esrp_views_compute_seconds_count", label)
                    - Prometheus.value(before, "esrp_views_compute_seconds_count", label);
            double sum = Prometheus.value(after, "esrp_views_compute_seconds_sum", label)
                    - Prometheus.value(before, "esrp_views_compute_seconds_sum", label);
            line(String.format(Locale.ROOT, "  %s computed %.0f times during the stream, %.1f ms on average (the service's %s timer)",
                    view, count, count == 0 ? 0 : 1000 * sum / count, "esrp.views.compute"));
        }
    }

    private String scrape(ServiceProcess instance) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(instance.url() + "/q/metrics").toURL().openConnection();
        connection.setRequestProperty("Authorization", "Bearer " + ADMIN_TOKEN);
        try (InputStream in = connection.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void stream(ServiceProcess instance, int seconds, boolean report) throws Exception {
        int clients = Integer.getInteger("bench.stream.clients", 20);
        int rate = Integer.getInteger("bench.stream.rate", 500);
        int total = rate * seconds;
        long base = settledRatings(instance);
        List<List<StreamEvent>> seen = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch open = new CountDownLatch(clients);
        ExecutorService readers = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            List<StreamEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());
            seen.add(events);
            readers.execute(() -> watch(instance, events, open, stop));
        }
        open.await(30, TimeUnit.SECONDS);
        Thread.sleep(1000);
        long[] sent = new long[total];
        Latencies underLoad = new Latencies();
        AtomicBoolean loading = new AtomicBoolean(true);
        Thread getter = new Thread(() -> {
            while (loading.get()) {
                long t = System.nanoTime();
                try {
                    fetch(instance, "leaderboard");
                    underLoad.add((System.nanoTime() - t) / 1e6);
                    Thread.sleep(20);
                } catch (Exception e) {
                    return;
                }
            }
        });
        getter.start();
        Latencies bare = new Latencies();
        CountDownLatch bareAssigned = new CountDownLatch(1);
        Thread bareWatcher = new Thread(() -> watchBare(bare, bareAssigned, loading));
        bareWatcher.start();
        bareAssigned.await(30, TimeUnit.SECONDS);
        try (KafkaProducer<String, byte[]> producer = producer(0)) {
            long t0 = System.nanoTime();
            for (int j = 0; j < total; j++) {
                long due = t0 + j * 1_000_000_000L / rate;
                // parked, not spinning: the driver shares the two cores with the broker and the service
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                RatingEvent rating = study.rating(published + j);
                sent[j] = System.nanoTime();
                producer.send(new ProducerRecord<>(RatingEvent.TOPIC, rating.key(), bytes(rating)));
            }
            producer.flush();
        }
        published += total;
        Files.writeString(work.resolve("published"), String.valueOf(published));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && seen.stream().anyMatch(events -> last(events) < base + total)) {
            Thread.sleep(100);
        }
        loading.set(false);
        getter.join();
        bareWatcher.join();
        stop.set(true);
        readers.shutdownNow();
        Latencies freshness = new Latencies();
        long missing = 0;
        for (List<StreamEvent> events : seen) {
            List<StreamEvent> copy;
            synchronized (events) {
                copy = new ArrayList<>(events);
            }
            int k = 0;
            for (int j = 0; j < total; j++) {
                while (k < copy.size() && copy.get(k).ratings() < base + j + 1) {
                    k++;
                }
                if (k == copy.size()) {
                    missing++;
                } else {
                    freshness.add(Math.max(0, copy.get(k).at() - sent[j]) / 1e6);
                }
            }
        }
        if (!report) {
            return;
        }
        line(String.format(Locale.ROOT, "stream freshness (after the same load for 15 s to warm up), %d clients, %d ratings/s for %d s (%,d ratings x %d streams), from the send call to "
                + "the pushed leaderboard (quality policy off: every rating counts) counting it: %s; never shown: %d; within 250 ms: %.2f%%", clients, rate, seconds, total, clients,
                freshness.summary(), missing, 100.0 * fractionWithin(freshness, 250)));
        line("  the same ratings read by a bare consumer (read_committed, as the service reads them), from the producer's timestamp: "
                + bare.summary());
        line("GET /studies/{id}/leaderboard during the stream (1 client): " + underLoad.summary());
    }

    private static double fractionWithin(Latencies latencies, double limit) {
        // the share of values at or below the limit, by bisection on the percentiles
        double lo = 0;
        double hi = 100;
        for (int i = 0; i < 30; i++) {
            double mid = (lo + hi) / 2;
            if (latencies.percentile(mid) <= limit) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo / 100;
    }

    private static long last(List<StreamEvent> events) {
        synchronized (events) {
            return events.isEmpty() ? -1 : events.get(events.size() - 1).ratings();
        }
    }

    /**
     * A pushed leaderboard, when it arrived, and the number of ratings it counts: read from its JSON only when asked
     * (after the run, and each stream's newest while the last ratings are awaited), so that the 20 clients' parsing does
     * not compete with the service for the two cores while freshness is measured; browsers parse on machines of their own.
     */
    private static final class StreamEvent {
        private final long at;
        private String json;
        private long ratings = -1;

        StreamEvent(long at, String json) {
            this.at = at;
            this.json = json;
        }

        long at() {
            return at;
        }

        synchronized long ratings() {
            if (ratings < 0) {
                try {
                    ratings = countRatings(JSON.readTree(json));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                json = null;
            }
            return ratings;
        }
    }

    private void watch(ServiceProcess instance, List<StreamEvent> events, CountDownLatch open, AtomicBoolean stop) {
        try {
            // HttpURLConnection over HTTP/1.1, one connection and one blocking reader per stream, as browsers open them;
            // lighter than the JDK's HttpClient on the shared cores
            HttpURLConnection connection = (HttpURLConnection) URI.create(instance.url() + "/studies/" + study.studyId
                    + "/leaderboard/stream?" + EVERY_RATING).toURL().openConnection();
            connection.setRequestProperty("Accept", "text/event-stream");
            connection.setRequestProperty("Authorization", "Bearer " + ADMIN_TOKEN);
            java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(connection.getInputStream(),
                    StandardCharsets.UTF_8));
            open.countDown();
            for (String line = lines.readLine(); !stop.get() && line != null; line = lines.readLine()) {
                if (line.startsWith("data:")) {
                    events.add(new StreamEvent(System.nanoTime(), line.substring(5)));
                }
            }
            connection.disconnect();
        } catch (Exception e) {
            if (!stop.get()) {
                System.err.println("stream client: " + e);
            }
        }
    }

    private Latencies getLatency(ServiceProcess instance, String endpoint, int clients, int requests) throws Exception {
        Latencies latencies = new Latencies();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            pool.execute(() -> {
                for (int r = 0; r < requests; r++) {
                    long t = System.nanoTime();
                    try {
                        fetch(instance, endpoint);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    latencies.add((System.nanoTime() - t) / 1e6);
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        return latencies;
    }

    // HttpURLConnection over kept-alive connections, the body read as bytes: the lightest client the JDK has, so that the
    // driver takes as little as it can of the two cores it shares with the service it measures.
    private byte[] fetch(ServiceProcess instance, String endpoint) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(instance.url() + "/studies/" + study.studyId + "/" + endpoint)
                .toURL().openConnection();
        connection.setReadTimeout(60_000);
        connection.setRequestProperty("Authorization", "Bearer " + ADMIN_TOKEN);
        int status = connection.getResponseCode();
        try (InputStream in = status == 200 ? connection.getInputStream() : connection.getErrorStream()) {
            byte[] body = in == null ? new byte[0] : in.readAllBytes();
            if (status != 200) {
                throw new IllegalStateException(endpoint + " answered " + status + ": " + new String(body, StandardCharsets.UTF_8));
            }
            return body;
        }
    }

    private String get(ServiceProcess instance, String endpoint) throws IOException {
        return new String(fetch(instance, endpoint), StandardCharsets.UTF_8);
    }

    /** Seconds until every responder's automatic diversity is there (measured before anything else, on a settled instance). */
    private double settle(ServiceProcess instance) throws Exception {
        long start = System.nanoTime();
        while (seconds(start) < 900) {
            JsonNode rows = JSON.readTree(get(instance, "diversity"));
            int complete = 0;
            for (JsonNode row : rows) {
                if (!row.path("distinct2").isNull() && (!EMBEDDINGS || !row.path("embeddingDispersion").isNull())) {
                    complete++;
                }
            }
            if (rows.size() > 0 && complete == rows.size()) {
                return seconds(start);
            }
            Thread.sleep(500);
        }
        return seconds(start);
    }

    /**
     * The streams follow the leaderboard of every rating (the quality policy off): the one where each rating sent shows.
     * With the policy, a rater it excludes or lets in again moves the count by all of that rater's ratings at once (at
     * 10k ratings, when raters reach the policy's minimum of ratings), which says nothing of any one rating's delay.
     */
    private static final String EVERY_RATING = "quality=off";

    /** The ratings on the leaderboard of every rating once it no longer changes (the last ones sent are all in). */
    private long settledRatings(ServiceProcess instance) throws Exception {
        long counted = -1;
        for (int tries = 0; tries < 100; tries++) {
            long now = countRatings(JSON.readTree(get(instance, "leaderboard?" + EVERY_RATING)));
            if (now == counted) {
                return now;
            }
            counted = now;
            Thread.sleep(500);
        }
        return counted;
    }

    private long ratingsOnLeaderboard(ServiceProcess instance) throws Exception {
        return countRatings(JSON.readTree(get(instance, "leaderboard")));
    }

    private static long countRatings(JsonNode board) {
        long ratings = 0;
        for (JsonNode row : board.path("groups").path(0).path("rows")) {
            ratings += row.path("ratings").asLong();
        }
        return ratings;
    }

    /**
     * The part of a rating's delay that is the broker's and the machine's: a bare consumer, reading esrp.ratings as the
     * service does (read_committed), notes how long after its producer's timestamp each new rating reaches it.
     */
    private void watchBare(Latencies latencies, CountDownLatch assigned, AtomicBoolean loading) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("bench-watch-", Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            List<TopicPartition> partitions = consumer.partitionsFor(RatingEvent.TOPIC).stream()
                    .map(p -> new TopicPartition(RatingEvent.TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            assigned.countDown();
            while (loading.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    latencies.add(Math.max(0, System.currentTimeMillis() - record.timestamp()));
                }
            }
        }
    }

    /** A consumer of the bench's broker in a group of its own that commits nothing, with {@code more} settings. */
    private KafkaConsumer<byte[], byte[]> consumer(String group, Map<String, Object> more) {
        Map<String, Object> config = new java.util.HashMap<>(more);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Records/s of a bare consumer reading esrp.responses and esrp.ratings from the beginning. */
    private double bareRead() {
        long expected = published + study.answers.size();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("bench-anchor-", Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
            consumer.subscribe(List.of(ResponseEvent.TOPIC, RatingEvent.TOPIC));
            long read = 0;
            long start = System.nanoTime();
            while (read < expected && seconds(start) < 600) {
                read += consumer.poll(Duration.ofMillis(500)).count();
            }
            return read / seconds(start);
        }
    }

    private long count(String topic, java.util.function.Predicate<String> key) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("bench-count-", Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            java.util.Set<String> keys = new java.util.HashSet<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String k = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
                    if (key.test(k)) {
                        keys.add(k);
                    }
                }
            }
            return keys.size();
        }
    }

    /** BENCH_JAVA_OPTIONS: more options for the instances' JVMs (native memory tracking, another collector...). */
    static final String JAVA_OPTIONS = System.getProperty("bench.java-options", "").strip();

    /** Gives an instance BENCH_JAVA_OPTIONS and {@code more} through JAVA_TOOL_OPTIONS, when there are any. */
    static void withJavaOptions(Map<String, String> env, String more) {
        String options = (JAVA_OPTIONS + " " + more).strip();
        if (!options.isEmpty()) {
            env.put("JAVA_TOOL_OPTIONS", options);
        }
    }

    private ServiceProcess instance(String applicationId, String stateDir) {
        Map<String, String> env = ServiceProcess.streams(broker.bootstrapServers(), applicationId, work.resolve("state").resolve(stateDir),
                EMBEDDINGS, ADMIN_TOKEN);
        // only the first launch of each instance is recorded: its catch-up
        withJavaOptions(env, System.getProperty("bench.jfr") == null ? "" : "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                + Path.of(System.getProperty("bench.jfr")).toAbsolutePath().resolve(stateDir + ".jfr"));
        try {
            return new ServiceProcess("metrics-service", env, ServiceProcess.freePort(), heap, work.resolve("metrics-" + stateDir + ".log"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Keyed(String key, byte[] value) {
    }

    private void publish(String topic, List<Keyed> records) {
        try (KafkaProducer<String, byte[]> producer = producer(20)) {
            records.forEach(r -> producer.send(new ProducerRecord<>(topic, r.key(), r.value())));
            producer.flush();
        }
    }

    private KafkaProducer<String, byte[]> producer(int lingerMs) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, lingerMs,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static byte[] bytes(Object record) {
        try {
            return JSON.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private void line(String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }

    static String machine() {
        String cpu = "?";
        long memory = 0;
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
            memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0);
        } catch (IOException ignored) {
            // not Linux: leave it unknown
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + (memory >> 20) + " GiB, Java "
                + System.getProperty("java.version");
    }

    /** CPU time from /proc: a process's (user and system, in clock ticks of 10 ms) and the machine's busy share. */
    static final class Cpu {

        static double seconds(long pid) throws IOException {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state is field 3 of proc(5), utime 14 and stime 15
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        }

        /** The machine's busy and total clock ticks so far. */
        static long[] machine() throws IOException {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            long idle = 0;
            // user, nice, system, idle, iowait, irq, softirq, steal (guest time is counted in user already)
            for (int i = 1; i < Math.min(fields.length, 9); i++) {
                long ticks = Long.parseLong(fields[i]);
                total += ticks;
                if (i == 4 || i == 5) {
                    idle += ticks;
                }
            }
            return new long[] {total - idle, total};
        }

        static double busyPercent(long[] before, long[] after) {
            return 100.0 * (after[0] - before[0]) / Math.max(1, after[1] - before[1]);
        }
    }

    /** Samples a process's resident memory (VmRSS) every 250 ms. */
    private static final class Rss implements AutoCloseable {
        private final AtomicLong max = new AtomicLong();
        private final AtomicLong now = new AtomicLong();
        private volatile long pid = -1;
        private final Thread sampler = new Thread(this::sample, "rss");

        Rss() {
            sampler.setDaemon(true);
            sampler.start();
        }

        void watch(long pid) {
            this.pid = pid;
        }

        long now() {
            return now.get();
        }

        long max() {
            return max.get();
        }

        private void sample() {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    if (pid > 0) {
                        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                            if (line.startsWith("VmRSS:")) {
                                long kib = Long.parseLong(line.replaceAll("\\D", ""));
                                now.set(kib);
                                max.accumulateAndGet(kib, Math::max);
                            }
                        }
                    }
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException | NumberFormatException processGone) {
                    // between two processes
                }
            }
        }

        @Override
        public void close() {
            sampler.interrupt();
        }
    }
}
