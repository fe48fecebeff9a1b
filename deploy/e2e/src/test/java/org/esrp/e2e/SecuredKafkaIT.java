package org.esrp.e2e;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.esrp.events.ResponseEvent;
import org.esrp.local.KafkaBroker;
import org.esrp.local.LocalInfra;
import org.esrp.local.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The platform on a Kafka cluster secured as production ones are: TLS from the cluster's own CA, every client
 * authenticated with SASL/SCRAM ({@code SASL_SSL}), and each service's principal allowed only the ACLs README "Running on
 * Kubernetes" lists (nothing is allowed that no ACL allows). The services get the variables the chart renders. The three services start ready, an imported study's answers reach annotation-service, a rating reaches the
 * leaderboard; and a principal cannot write a topic it was not given.
 */
class SecuredKafkaIT {

    static final String ADMIN_TOKEN = "secured-admin-token";
    static final String METRICS_APPLICATION = "esrp-metrics";

    @Test
    void theServicesRunOnSaslScramWithOnlyTheirOwnAclsAndARatingReachesTheLeaderboard() throws Exception {
        Path work = Files.createTempDirectory("esrp-secured-kafka");
        try (KafkaBroker kafka = KafkaBroker.startSecured(work.resolve("kafka"), Path.of("target", "secured-kafka.log"), "admin-secret")) {
            Map<String, String> passwords = Map.of("generation", "gen-" + UUID.randomUUID(), "annotation", "ann-" + UUID.randomUUID(),
                    "metrics", "met-" + UUID.randomUUID());
            try (Admin admin = Admin.create(kafka.adminConfig())) {
                List<UserScramCredentialUpsertion> users = new ArrayList<>();
                passwords.forEach((user, password) -> users.add(new UserScramCredentialUpsertion(user,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)));
                admin.alterUserScramCredentials(List.copyOf(users)).all().get(30, TimeUnit.SECONDS);
                admin.createAcls(acls()).all().get(30, TimeUnit.SECONDS);
            }
            try (ServiceProcess generation = service("generation-service", "generation", passwords, kafka, work);
                 ServiceProcess annotation = service("annotation-service", "annotation", passwords, kafka, work);
                 ServiceProcess metrics = service("metrics-service", "metrics", passwords, kafka, work)) {
                generation.start();
                annotation.start();
                metrics.start();

                String study = given().baseUri(generation.url()).auth().oauth2(ADMIN_TOKEN).contentType(ContentType.JSON)
                        .body(Map.of("name", "secured-" + UUID.randomUUID())).post("/studies").then().statusCode(201).extract().path("id");
                given().baseUri(generation.url()).auth().oauth2(ADMIN_TOKEN).contentType(ContentType.JSON).body(PlatformFlowIT.subset("human.json", 2))
                        .post("/studies/{id}/imports/chatanime?responder=human&kind=HUMAN", study).then().statusCode(201);
                String character = given().baseUri(generation.url()).auth().oauth2(ADMIN_TOKEN).get("/studies/{id}/characters", study)
                        .then().statusCode(200).extract().path("[0].id");

                String token = given().baseUri(annotation.url()).auth().oauth2(ADMIN_TOKEN).contentType(ContentType.JSON)
                        .body(Map.of("displayName", "secured", "characterIds", List.of(character))).post("/annotators")
                        .then().statusCode(201).extract().path("token");
                Response task = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> given().baseUri(annotation.url()).auth().oauth2(token).queryParam("study", study).get("/tasks/next"),
                                r -> r.statusCode() == 200);
                Map<String, Integer> scores = new HashMap<>();
                task.jsonPath().getList("rubric.key", String.class).forEach(metric -> scores.put(metric, 4));
                given().baseUri(annotation.url()).auth().oauth2(token).header("Idempotency-Key", UUID.randomUUID().toString())
                        .contentType(ContentType.JSON).body(Map.of("scores", scores, "durationMs", 40_000))
                        .post("/tasks/{id}/ratings", task.jsonPath().getString("taskId")).then().statusCode(201);

                try {
                    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
                        Response board = given().baseUri(metrics.url()).auth().oauth2(ADMIN_TOKEN).get("/studies/{id}/leaderboard", study);
                        return board.statusCode() == 200 && board.jsonPath().getList("groups[0].rows.ratings", Integer.class)
                                .stream().mapToInt(Integer::intValue).sum() == 1;
                    });
                } catch (ConditionTimeoutException e) {
                    Response board = given().baseUri(metrics.url()).auth().oauth2(ADMIN_TOKEN).get("/studies/{id}/leaderboard", study);
                    throw new AssertionError("the rating never reached the leaderboard: " + board.statusCode() + " "
                            + board.asString().substring(0, Math.min(2000, board.asString().length()))
                            + state(generation, annotation, metrics), e);
                }
            }

            // least privilege: annotation-service's principal reads esrp.responses but may not write it
            Map<String, Object> producer = new HashMap<>(kafka.clientSecurity("annotation", passwords.get("annotation")));
            producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
            try (KafkaProducer<String, String> forged = new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer())) {
                ExecutionException refused = assertThrows(ExecutionException.class,
                        () -> forged.send(new ProducerRecord<>(ResponseEvent.TOPIC, "k", "{}")).get(20, TimeUnit.SECONDS));
                assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
            }
        }
    }

    /** What each service says of itself, for a failure message: readiness, outbox backlog, its last warnings. */
    private static String state(ServiceProcess... services) {
        StringBuilder state = new StringBuilder();
        for (ServiceProcess service : services) {
            state.append("\n--- ").append(service.url()).append(" ready: ")
                    .append(given().baseUri(service.url()).get("/q/health/ready").asString().replaceAll("\\s+", " "));
            given().baseUri(service.url()).get("/q/metrics").asString().lines().filter(line -> line.startsWith("esrp_outbox_backlog{"))
                    .forEach(line -> state.append("\n").append(line));
            service.problems(15).forEach(line -> state.append("\n").append(line));
        }
        return state.toString();
    }

    /**
     * The ACLs of README "Running on Kubernetes", principal by principal, without the optional Create on topics another
     * service creates first (here generation-service and annotation-service start before metrics-service).
     */
    static List<AclBinding> acls() {
        List<AclBinding> acls = new ArrayList<>();
        allow(acls, "generation", ResourceType.TOPIC, ResponseEvent.TOPIC, PatternType.LITERAL,
                AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.CREATE);
        allow(acls, "annotation", ResourceType.TOPIC, ResponseEvent.TOPIC, PatternType.LITERAL,
                AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
        allow(acls, "annotation", ResourceType.GROUP, "annotation-service", PatternType.LITERAL, AclOperation.READ);
        for (String topic : List.of("esrp.ratings", "esrp.designs", "esrp.dlq")) {
            allow(acls, "annotation", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.CREATE);
        }
        for (String topic : List.of(ResponseEvent.TOPIC, "esrp.ratings", "esrp.designs")) {
            allow(acls, "metrics", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ, AclOperation.DESCRIBE,
                    AclOperation.DESCRIBE_CONFIGS);
        }
        allow(acls, "metrics", ResourceType.TOPIC, "esrp.dlq", PatternType.LITERAL, AclOperation.WRITE, AclOperation.DESCRIBE);
        // Kafka Streams' own topics and the derived topic, its consumer group and its transactions
        allow(acls, "metrics", ResourceType.TOPIC, METRICS_APPLICATION, PatternType.PREFIXED, AclOperation.ALL);
        allow(acls, "metrics", ResourceType.GROUP, METRICS_APPLICATION, PatternType.LITERAL, AclOperation.READ);
        allow(acls, "metrics", ResourceType.TRANSACTIONAL_ID, METRICS_APPLICATION, PatternType.PREFIXED,
                AclOperation.WRITE, AclOperation.DESCRIBE);
        return acls;
    }

    private static void allow(List<AclBinding> acls, String user, ResourceType type, String name, PatternType pattern, AclOperation... operations) {
        for (AclOperation operation : operations) {
            acls.add(new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW)));
        }
    }

    /** A service connecting as its own principal, with the variables the chart sets from the principal's Secret. */
    private static ServiceProcess service(String name, String user, Map<String, String> passwords, KafkaBroker kafka, Path work) throws Exception {
        Map<String, String> env = user.equals("metrics")
                ? ServiceProcess.streams(kafka.bootstrapServers(), METRICS_APPLICATION, work.resolve("metrics-state"), false, ADMIN_TOKEN)
                : ServiceProcess.infrastructure(LocalInfra.postgres(), kafka, "secured_" + user + "_" + UUID.randomUUID().toString().substring(0, 8),
                ADMIN_TOKEN);
        env.put("KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        env.put("KAFKA_SASL_MECHANISM", KafkaBroker.SCRAM);
        env.put("KAFKA_SASL_JAAS_CONFIG", KafkaBroker.jaas(user, passwords.get(user)));
        env.put("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");
        env.put("KAFKA_SSL_TRUSTSTORE_LOCATION", kafka.trustedCa().toString());
        return new ServiceProcess(name, env, ServiceProcess.freePort(), "384m", Path.of("target", "secured-" + name + ".log"));
    }
}
