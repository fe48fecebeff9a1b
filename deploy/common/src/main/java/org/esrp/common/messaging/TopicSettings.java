package org.esrp.common.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * How the platform's topics are created (ESRP_TOPICS_PARTITIONS, ESRP_TOPICS_REPLICATION,
 * ESRP_TOPICS_MIN_INSYNC_REPLICAS): the same on every service, since each creates the topics it writes.
 */
@ConfigMapping(prefix = "esrp.topics")
public interface TopicSettings {

    /** The same for every platform topic: one study's records share a partition number across them. */
    @WithDefault("6")
    int partitions();

    @WithDefault("1")
    short replication();

    /** Replicas a write with acks=all waits for; the broker's default when absent (2 of 3 on a real cluster). */
    Optional<Integer> minInsyncReplicas();
}
