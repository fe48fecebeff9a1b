package org.esrp.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One packaged service (target/quarkus-app/quarkus-run.jar) in a JVM of its own, on a port of its own, for the
 * end-to-end tests and the benchmarks. {@link #start()} returns once {@code /q/health/ready} answers 200.
 */
public final class ServiceProcess implements AutoCloseable {

    /** The class-data archive a service's build leaves beside quarkus-run.jar (quarkus.package.jar.appcds). */
    public static final String APP_CDS = "app-cds.jsa";

    /**
     * metrics-service's heap: its study models at 1M ratings live in about 100 MB, 145-160 MB with the views computed
     * while ratings stream in (deploy/bench/BENCHMARKS.md, "Memory at 1M").
     */
    public static final String METRICS_HEAP = "224m";

    /**
     * For metrics-service (its images set it too): the JDK keeps, per thread, a native copy buffer as large as the
     * largest socket read it made into a heap buffer, and Kafka's consumers read whole fetch responses so, 18 MB of
     * resident memory at 1M ratings. For a read larger than the cap the JDK allocates, zeroes and frees a buffer of the
     * size still to read, so the cap stays above the instance's fetch size (kafka-streams.consumer.fetch.max.bytes,
     * 2 MiB).
     */
    public static final String NIO_BUFFER_CACHE = "-Djdk.nio.maxCachedBufferSize=4194304";

    private final String name;
    private final Map<String, String> env;
    private final Path log;
    private final int port;
    private final String heap;
    private Process process;
    /** Where this process's output starts in the (appended) log. */
    private long logStart;

    public ServiceProcess(String name, Map<String, String> env) throws IOException {
        this(name, env, freePort(), "384m", Path.of("target", name + ".log"));
    }

    /** @param heap the -Xmx value; @param log where its output goes (appended) */
    public ServiceProcess(String name, Map<String, String> env, int port, String heap, Path log) {
        this.name = name;
        this.env = env;
        this.port = port;
        this.heap = heap;
        this.log = log;
    }

    /** What a service needs to reach the local PostgreSQL (its own database, created if missing) and broker. */
    public static Map<String, String> infrastructure(PostgresServer postgres, KafkaBroker kafka, String database, String adminToken) {
        postgres.ensureDatabase(database);
        Map<String, String> env = new java.util.HashMap<>();
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(database));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(database));
        env.put("QUARKUS_DATASOURCE_USERNAME", PostgresServer.USER);
        env.put("QUARKUS_DATASOURCE_PASSWORD", PostgresServer.PASSWORD);
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("ESRP_ADMIN_TOKEN", adminToken);
        return env;
    }

    /**
     * What metrics-service needs: the broker, its Kafka Streams application id and state folder (a new id starts from
     * offset 0), whether it embeds answers, and the admin token.
     */
    public static Map<String, String> streams(String bootstrapServers, String applicationId, Path stateDir, boolean embeddings,
                                              String adminToken) {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("QUARKUS_KAFKA_STREAMS_APPLICATION_ID", applicationId);
        env.put("KAFKA_STREAMS_STATE_DIR", stateDir.toAbsolutePath().toString());
        // One state folder is one instance: restarted on it, the instance is the same group member again.
        env.put("ESRP_METRICS_INSTANCE_ID", instanceId(stateDir));
        // as the chart sets it: fewer malloc arenas for RocksDB's native threads
        env.put("MALLOC_ARENA_MAX", "2");
        env.put("ESRP_METRICS_EMBEDDINGS_ENABLED", String.valueOf(embeddings));
        env.put("ESRP_ADMIN_TOKEN", adminToken);
        return env;
    }

    private static String instanceId(Path stateDir) {
        String name = String.valueOf(stateDir.getFileName()).replaceAll("[^A-Za-z0-9._-]", "-");
        return name + "-" + Integer.toHexString(stateDir.toAbsolutePath().normalize().toString().hashCode());
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The environment it is (re)started with; changes apply at the next launch. */
    public Map<String, String> environment() {
        return env;
    }

    public long pid() {
        return process.pid();
    }

    public ServiceProcess start() throws Exception {
        launch();
        awaitReady(Duration.ofSeconds(120));
        return this;
    }

    /** Starts the JVM and returns at once. */
    public void launch() throws IOException {
        Path app = Path.of(System.getProperty("esrp.root", "../.."), name, "target", "quarkus-app").toAbsolutePath();
        if (!Files.exists(app.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(app.resolve("quarkus-run.jar") + " is missing: package the services first");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap));
        if (name.equals("metrics-service")) {
            command.add(NIO_BUFFER_CACHE);
        }
        // The class-data archive (metrics-service builds one, for a quicker restart) holds the class path as the build
        // ran the application: quarkus-run.jar, from its folder. Launched another way, the JVM refuses the archive.
        if (Files.exists(app.resolve(APP_CDS))) {
            command.add("-XX:SharedArchiveFile=" + APP_CDS);
        }
        command.addAll(List.of("-jar", "quarkus-run.jar"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(app.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        Files.createDirectories(log.toAbsolutePath().getParent());
        logStart = Files.exists(log) ? Files.size(log) : 0;
        process = builder.start();
    }

    /** Waits for readiness; throws when the process exits or the time is up. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited; see " + log.toAbsolutePath());
            }
            if (ready()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " was not ready in " + timeout + "; see " + log.toAbsolutePath());
    }

    public boolean ready() {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url() + "/q/health/ready").toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            return connection.getResponseCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    /**
     * The last {@code count} warnings and errors of the service's log (their first lines), for a test's failure message:
     * CI keeps a failed run's output, not its files.
     */
    public List<String> problems(int count) {
        try (var channel = Files.newByteChannel(log);
             BufferedReader lines = new BufferedReader(Channels.newReader(channel.position(logStart), StandardCharsets.UTF_8))) {
            List<String> problems = lines.lines().filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
                    .map(line -> line.length() > 400 ? line.substring(0, 400) : line).toList();
            return problems.subList(Math.max(0, problems.size() - count), problems.size());
        } catch (IOException | UncheckedIOException unreadable) {
            return List.of("(" + log + " unreadable: " + unreadable.getMessage() + ")");
        }
    }

    /** kill -9: no shutdown hook, no clean close of anything. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
