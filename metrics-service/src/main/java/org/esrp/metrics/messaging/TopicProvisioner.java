package org.esrp.metrics.messaging;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.esrp.common.messaging.TopicProvisioning;
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
    private final TopicProvisioning provisioning;

    public TopicProvisioner(MetricsConfig config, TopicProvisioning provisioning) {
        this.config = config;
        this.provisioning = provisioning;
    }

    void onStart(@Observes @Priority(1) StartupEvent event) {
        Map<String, Boolean> topics = new HashMap<>(EventTopics.ALL);
        // The derived topic is metrics-service's own: compacted, keyed by what each record describes.
        topics.put(config.derivedTopic(), true);
        provisioning.ensure(topics);
    }
}
