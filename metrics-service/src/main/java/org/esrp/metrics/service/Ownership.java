package org.esrp.metrics.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.esrp.metrics.messaging.StudyTopology;
import org.esrp.metrics.repository.StudyModels;

import java.util.UUID;

/**
 * Which instance serves a study: the one whose stream thread owns the study's partition, as Kafka Streams' metadata
 * (interactive queries) says. Instances advertise their address by {@code quarkus.kafka-streams.application-server}.
 */
@ApplicationScoped
public class Ownership {

    /** Where a study is served: here, at another instance's address, or nowhere right now (rebalancing). */
    public record Owner(boolean local, String url) {
        static final Owner HERE = new Owner(true, null);
        static final Owner NOBODY = new Owner(false, null);

        public boolean available() {
            return local || url != null;
        }
    }

    private final Instance<KafkaStreams> streams;
    private final StudyModels models;

    public Ownership(Instance<KafkaStreams> streams, StudyModels models) {
        this.streams = streams;
        this.models = models;
    }

    /** Whether one of this instance's stream threads runs the partition's task (the topology has one sub-topology). */
    private boolean servesHere(int partition) {
        for (ThreadMetadata thread : streams.get().metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                if (task.taskId().partition() == partition) {
                    return true;
                }
            }
        }
        return false;
    }

    public Owner of(UUID studyId) {
        KeyQueryMetadata metadata;
        try {
            metadata = streams.get().queryMetadataForKey(StudyTopology.STORE, studyId.toString(), new StringSerializer());
        } catch (RuntimeException notRunning) {
            metadata = null;
        }
        if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE || metadata.activeHost() == null
                || HostInfo.unavailable().equals(metadata.activeHost())) {
            return models.get(studyId) != null ? Owner.HERE : Owner.NOBODY;
        }
        if (servesHere(metadata.partition())) {
            return Owner.HERE;
        }
        HostInfo host = metadata.activeHost();
        return new Owner(false, "http://" + host.host() + ":" + host.port());
    }
}
