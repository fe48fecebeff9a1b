package org.esrp.e2e;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.esrp.events.RatingEvent;
import org.esrp.events.ResponseEvent;
import org.esrp.local.KafkaBroker;
import org.esrp.local.PostgresServer;
import org.esrp.local.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The topics are the system of record, on a broker whose default keeps records for one hour only (as many clusters
 * do). What annotation-service writes, it creates kept for ever; a topic it reads that someone created with the
 * broker's default makes it not ready, with a message naming the topic and the fix, until the topic keeps its records.
 */
class TopicRetentionIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aServiceWhoseSourceTopicDeletesRecordsIsNotReadyAndSaysWhyAndTheTopicsItCreatesKeepTheirRecords() throws Exception {
        Path work = Files.createTempDirectory("esrp-retention");
        try (PostgresServer postgres = PostgresServer.start(0, null);
             KafkaBroker kafka = KafkaBroker.start(0, work.resolve("kafka"), Path.of("target", "retention-kafka.log"),
                     Map.of("log.retention.ms", "3600000"));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            // as auto-creation or a hand-made topic would leave it: the broker's one hour
            admin.createTopics(List.of(new NewTopic(ResponseEvent.TOPIC, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
            ServiceProcess annotation = new ServiceProcess("annotation-service", PlatformFlowIT.env(postgres, kafka, "retention_annotation"));
            annotation.environment().put("ESRP_TOPICS_MIN_INSYNC_REPLICAS", "1");
            try {
                annotation.launch();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                    String body = readiness(annotation).body();
                    return body.contains("source topics") && body.contains("DOWN");
                });
                HttpResponse<String> notReady = readiness(annotation);
                assertEquals(503, notReady.statusCode(), notReady.body());
                assertTrue(notReady.body().contains("topic esrp.responses deletes records (retention.ms=3600000)"), notReady.body());
                assertTrue(notReady.body().contains("--add-config retention.ms=-1"), notReady.body());

                // the topics it writes: kept for ever, whatever the broker's default, with the configured min.insync.replicas
                Config ratings = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, RatingEvent.TOPIC)))
                        .all().get(30, TimeUnit.SECONDS).values().iterator().next();
                assertEquals("-1", ratings.get("retention.ms").value());
                assertEquals("-1", ratings.get("retention.bytes").value());
                assertEquals("1", ratings.get("min.insync.replicas").value());

                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, ResponseEvent.TOPIC),
                        List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "-1"), AlterConfigOp.OpType.SET))))
                        .all().get(30, TimeUnit.SECONDS);
                annotation.awaitReady(Duration.ofSeconds(60));
                assertEquals(200, readiness(annotation).statusCode());
            } finally {
                annotation.close();
            }
        }
    }

    private static HttpResponse<String> readiness(ServiceProcess service) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(service.url() + "/q/health/ready")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
