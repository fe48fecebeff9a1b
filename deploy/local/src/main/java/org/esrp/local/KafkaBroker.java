package org.esrp.local;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Kafka broker (KRaft, single node acting as broker and controller) in a JVM of its own, started
 * from the Kafka jars recorded at build time. Its own JVM keeps Kafka's server dependencies away from the
 * services' class path; {@link BrokerMain} ends it when the JVM that started it goes away.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final int port;
    private final Path dataDir;
    private final Path config;
    private final Path logFile;
    private Process process;

    private KafkaBroker(int port, Path dataDir, Path config, Path logFile) {
        this.port = port;
        this.dataDir = dataDir;
        this.config = config;
        this.logFile = logFile;
    }

    /**
     * @param port    0 for a random free port; otherwise the controller listens on the next port
     * @param dataDir the log directory; formatted on first use, kept afterwards
     * @param logFile where the broker's output goes
     */
    public static KafkaBroker start(int port, Path dataDir, Path logFile) throws IOException, InterruptedException {
        return start(port, dataDir, logFile, Map.of());
    }

    /** As {@link #start(int, Path, Path)}, with broker settings over the defaults (e.g. a finite log.retention.ms). */
    public static KafkaBroker start(int port, Path dataDir, Path logFile, Map<String, String> overrides) throws IOException, InterruptedException {
        int brokerPort = port > 0 ? port : freePort();
        int controllerPort = port > 0 ? port + 1 : freePort();
        Files.createDirectories(dataDir);
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        Path config = dataDir.resolveSibling(dataDir.getFileName() + ".properties");
        StringBuilder properties = new StringBuilder(serverProperties(brokerPort, controllerPort, dataDir));
        overrides.forEach((key, value) -> properties.append(key).append('=').append(value).append('\n'));
        Files.writeString(config, properties, StandardCharsets.UTF_8);
        KafkaBroker broker = new KafkaBroker(brokerPort, dataDir, config, logFile);
        broker.launch();
        return broker;
    }

    /** Starts the broker again on the same ports and data, after {@link #close()}; for outage tests. */
    public synchronized void restart() throws IOException, InterruptedException {
        close();
        launch();
    }

    private synchronized void launch() throws IOException, InterruptedException {
        String classpath = brokerClasspath();
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            Process format = new ProcessBuilder(javaCommand(classpath, "kafka.tools.StorageTool", "format", "--standalone",
                    "-t", UUID.randomUUID().toString().replace("-", "").substring(0, 22), "-c", config.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IllegalStateException("formatting the Kafka log directory failed; see " + logFile);
            }
        }
        process = new ProcessBuilder(javaCommand(classpath, BrokerMain.class.getName(), config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                // stdin stays a pipe: BrokerMain stops the broker when it closes, i.e. when this JVM dies.
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        awaitReady(logFile);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    private void awaitReady(Path logFile) throws InterruptedException {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited with " + process.exitValue() + "; see " + logFile);
            }
            try (Admin admin = Admin.create(config)) {
                admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                admin.listTopics().names().get(3, TimeUnit.SECONDS);
                return;
            } catch (Exception notYet) {
                Thread.sleep(250);
            }
        }
        close();
        throw new IllegalStateException("the Kafka broker was not ready within " + READY_TIMEOUT + "; see " + logFile);
    }

    @Override
    public synchronized void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static String serverProperties(int brokerPort, int controllerPort, Path dataDir) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + dataDir.toAbsolutePath(),
                "num.partitions=6",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=5",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.retention.hours=-1",
                "") ;
    }

    private static List<String> javaCommand(String classpath, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms128m");
        command.add("-Xmx512m");
        command.add("-XX:+UseSerialGC");
        command.add("-Djava.awt.headless=true");
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    /** The Kafka jars recorded at build time plus this module's own classes (for {@link BrokerMain}). */
    static String brokerClasspath() {
        try (InputStream in = KafkaBroker.class.getResourceAsStream("kafka-broker.classpath")) {
            if (in == null) {
                throw new IllegalStateException("kafka-broker.classpath is missing: build deploy/local with Maven first");
            }
            String recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            String own = Path.of(KafkaBroker.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            return own + java.io.File.pathSeparator + recorded;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
