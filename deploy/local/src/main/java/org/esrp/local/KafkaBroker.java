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

    /** The SASL mechanism of {@link #startSecured}; SCRAM-SHA-512 as Strimzi's KafkaUser makes it. */
    public static final String SCRAM = "SCRAM-SHA-512";
    /** The super user of {@link #startSecured}. */
    public static final String ADMIN_USER = "admin";

    private final int port;
    private final Path dataDir;
    private final Path config;
    private final Path logFile;
    private final List<String> formatOptions;
    private final Path trustedCa;
    private final Map<String, Object> adminSecurity = new java.util.HashMap<>();
    private Process process;

    private KafkaBroker(int port, Path dataDir, Path logFile, List<String> formatOptions, Path trustedCa) {
        this.port = port;
        this.dataDir = dataDir;
        this.config = dataDir.resolveSibling(dataDir.getFileName() + ".properties");
        this.logFile = logFile;
        this.formatOptions = formatOptions;
        this.trustedCa = trustedCa;
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
        return start(new KafkaBroker(brokerPort, dataDir, logFile, List.of(), null), port > 0 ? port + 1 : freePort(), overrides);
    }

    /**
     * A broker as a secured cluster runs: TLS with a certificate from a CA of its own ({@link Certificates}, in
     * {@code dataDir}'s sibling {@code certificates}), clients that authenticate with SASL/SCRAM-SHA-512 (listener
     * {@code SASL_SSL}), and ACLs (KRaft's StandardAuthorizer; nothing is allowed that no ACL allows).
     * {@value #ADMIN_USER} is its super user; create other users with {@link Admin#alterUserScramCredentials} through
     * {@link #adminConfig()}, and connect them with {@link #clientSecurity}.
     */
    public static KafkaBroker startSecured(Path dataDir, Path logFile, String adminPassword) throws IOException, InterruptedException {
        Certificates certificates = Certificates.make(dataDir.resolveSibling("certificates"));
        int brokerPort = freePort();
        int controllerPort = freePort();
        Map<String, String> secured = new java.util.LinkedHashMap<>();
        secured.put("listeners", "SASL_SSL://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        secured.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + brokerPort);
        secured.put("inter.broker.listener.name", "SASL_SSL");
        secured.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL");
        secured.put("ssl.keystore.type", "PKCS12");
        secured.put("ssl.keystore.location", certificates.serverKeystore().toAbsolutePath().toString());
        secured.put("ssl.keystore.password", certificates.password());
        secured.put("ssl.key.password", certificates.password());
        secured.put("ssl.truststore.type", "PEM");
        secured.put("ssl.truststore.location", certificates.caPem().toAbsolutePath().toString());
        secured.put("sasl.enabled.mechanisms", SCRAM);
        secured.put("sasl.mechanism.inter.broker.protocol", SCRAM);
        secured.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", jaas(ADMIN_USER, adminPassword));
        secured.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // the controller listener is local and unauthenticated: the broker's own requests to it come as ANONYMOUS
        secured.put("super.users", "User:" + ADMIN_USER + ";User:ANONYMOUS");
        secured.put("allow.everyone.if.no.acl.found", "false");
        secured.put("auto.create.topics.enable", "false");
        KafkaBroker broker = new KafkaBroker(brokerPort, dataDir, logFile, List.of("--add-scram",
                SCRAM + "=[name=" + ADMIN_USER + ",password=" + adminPassword + "]"), certificates.caPem().toAbsolutePath());
        broker.adminSecurity.putAll(broker.clientSecurity(ADMIN_USER, adminPassword));
        return start(broker, controllerPort, secured);
    }

    /**
     * What a client of {@link #startSecured} sets to connect as {@code user}: the variables the chart renders for a
     * service (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_TRUSTSTORE_*), as Kafka client properties.
     */
    public Map<String, Object> clientSecurity(String user, String password) {
        return Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", SCRAM, "sasl.jaas.config", jaas(user, password),
                "ssl.truststore.type", "PEM", "ssl.truststore.location", trustedCa.toString());
    }

    /** The CA file a client of {@link #startSecured} trusts (PEM). */
    public Path trustedCa() {
        return trustedCa;
    }

    /** The JAAS line of a SCRAM login, as Strimzi's KafkaUser Secret holds it under {@code sasl.jaas.config}. */
    public static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /** An admin client's configuration, as the super user where the broker is secured. */
    public Map<String, Object> adminConfig() {
        Map<String, Object> config = new java.util.HashMap<>(adminSecurity);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    private static KafkaBroker start(KafkaBroker broker, int controllerPort, Map<String, String> overrides) throws IOException, InterruptedException {
        Files.createDirectories(broker.dataDir);
        Files.createDirectories(broker.logFile.toAbsolutePath().getParent());
        StringBuilder properties = new StringBuilder(serverProperties(broker.port, controllerPort, broker.dataDir));
        overrides.forEach((key, value) -> properties.append(key).append('=').append(value).append('\n'));
        Files.writeString(broker.config, properties, StandardCharsets.UTF_8);
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
            List<String> arguments = new ArrayList<>(List.of("format", "--standalone",
                    "-t", UUID.randomUUID().toString().replace("-", "").substring(0, 22), "-c", config.toString()));
            arguments.addAll(formatOptions);
            Process format = new ProcessBuilder(javaCommand(classpath, "kafka.tools.StorageTool", arguments.toArray(String[]::new)))
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
        Map<String, Object> config = adminConfig();
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
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
