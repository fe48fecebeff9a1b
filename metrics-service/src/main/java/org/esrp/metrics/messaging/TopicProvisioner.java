package org.esrp.metrics.messaging;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.esrp.events.DesignEvent;
import org.esrp.events.RatingEvent;
import org.esrp.events.ResponseEvent;
import org.esrp.metrics.config.MetricsConfig;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure the topics the stream processing reads exist before it starts (Kafka Streams refuses to start on a
 * missing source topic): the platform's three topics if no producer created them yet, and the derived topic, which is
 * metrics-service's own. Existing topics are left as they are.
 */
@ApplicationScoped
public class TopicProvisioner {

    private static final Logger LOG = Logger.getLogger(TopicProvisioner.class);

    private final MetricsConfig config;
    private final String bootstrap;

    public TopicProvisioner(MetricsConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.config = config;
        this.bootstrap = bootstrap;
    }

    void onStart(@Observes @Priority(1) StartupEvent event) {
        Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        Map<String, String> kept = Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1");
        List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic(ResponseEvent.TOPIC, config.partitions(), config.replication()).configs(kept));
        topics.add(new NewTopic(RatingEvent.TOPIC, config.partitions(), config.replication()).configs(kept));
        topics.add(new NewTopic(DesignEvent.TOPIC, config.partitions(), config.replication()).configs(compacted));
        topics.add(new NewTopic(config.derivedTopic(), config.partitions(), config.replication()).configs(compacted));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000))) {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get(20, TimeUnit.SECONDS);
                    LOG.infof("created topic %s", topic.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        LOG.warnf("could not create topic %s: %s", topic.name(), e.getCause().getMessage());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // The broker may be away: Kafka Streams waits for the topics (quarkus.kafka-streams.topics) and readiness says so.
            LOG.warnf("could not check the topics: %s", e.getMessage());
        }
    }
}
