package org.esrp.metrics.messaging;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.esrp.events.EventTopics;
import org.esrp.metrics.config.MetricsConfig;

import java.util.HashMap;
import java.util.Map;

/**
 * Makes sure the topics the stream processing reads exist before it starts (Kafka Streams refuses to start on a
 * missing source topic): the platform's three topics if no producer created them yet, and the derived topic, which is
 * metrics-service's own. Existing topics are left as they are.
 */
@ApplicationScoped
public class TopicProvisioner {

    private final MetricsConfig config;
    private final String bootstrap;

    public TopicProvisioner(MetricsConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.config = config;
        this.bootstrap = bootstrap;
    }

    void onStart(@Observes @Priority(1) StartupEvent event) {
        Map<String, Boolean> topics = new HashMap<>(EventTopics.ALL);
        // The derived topic is metrics-service's own: compacted, keyed by what each record describes.
        topics.put(config.derivedTopic(), true);
        EventTopics.ensure(bootstrap, config.partitions(), config.replication(), topics);
    }
}
