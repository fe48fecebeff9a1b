package org.esrp.common.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.events.EventTopics;

import java.util.Map;

/** Creates the topics a service writes, as the contract asks for them (see {@link EventTopics}), before it writes. */
@ApplicationScoped
public class TopicProvisioning {

    private final TopicSettings settings;
    private final KafkaConnection kafka;

    public TopicProvisioning(TopicSettings settings, KafkaConnection kafka) {
        this.settings = settings;
        this.kafka = kafka;
    }

    /** Each topic with whether it is compacted; one that exists is left as it is. */
    public void ensure(Map<String, Boolean> topics) {
        EventTopics.ensure(kafka.with(Map.of()), settings.partitions(), settings.replication(), settings.minInsyncReplicas(), topics);
    }
}
