package org.esrp.common.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.esrp.events.EventTopics;

import java.util.Map;

/** Creates the topics a service writes, as the contract asks for them (see {@link EventTopics}), before it writes. */
@ApplicationScoped
public class TopicProvisioning {

    private final TopicSettings settings;
    private final String bootstrap;

    public TopicProvisioning(TopicSettings settings, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.settings = settings;
        this.bootstrap = bootstrap;
    }

    /** Each topic with whether it is compacted; one that exists is left as it is. */
    public void ensure(Map<String, Boolean> topics) {
        EventTopics.ensure(bootstrap, settings.partitions(), settings.replication(), settings.minInsyncReplicas(), topics);
    }
}
