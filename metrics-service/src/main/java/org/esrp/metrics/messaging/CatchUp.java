package org.esrp.metrics.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.esrp.common.messaging.KafkaConnection;
import org.esrp.events.DesignEvent;
import org.esrp.events.RatingEvent;
import org.esrp.events.ResponseEvent;
import org.esrp.metrics.config.MetricsConfig;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether this instance has caught up, checked ten times a second until it has: it has restored its partitions' stores
 * (Kafka Streams is RUNNING) and caught up with what the topics held when it started: every record then on esrp.responses, esrp.ratings, esrp.designs and the derived
 * topic is behind the application's committed offsets, and then this instance's partitions of the by-study topic have
 * been read to their end (by its consumer's lag: committed offsets of a transactional topic stop short of its end by
 * the transaction markers). Readiness and the background work wait for it, so a restarted instance never serves an
 * empty or half-built leaderboard, and computes nothing that the topics already hold.
 */
@ApplicationScoped
public class CatchUp {

    private static final Logger LOG = Logger.getLogger(CatchUp.class);

    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "catch-up");
        thread.setDaemon(true);
        return thread;
    });
    private final Instance<KafkaStreams> streams;
    private final String applicationId;
    private final List<String> sources;
    private final String repartition;
    private final Admin admin;
    private final Event<CaughtUp> caughtUpEvent;
    private volatile boolean caughtUp;
    private volatile long caughtUpAt;
    private volatile String waitingFor = "Kafka Streams to start";
    private Map<TopicPartition, Long> sourceTargets;
    private long runningSince;

    public CatchUp(Instance<KafkaStreams> streams, MetricsConfig config,
                   @ConfigProperty(name = "quarkus.kafka-streams.application-id") String applicationId,
                   KafkaConnection kafka, Event<CaughtUp> caughtUpEvent) {
        this.streams = streams;
        this.caughtUpEvent = caughtUpEvent;
        this.applicationId = applicationId;
        this.sources = List.of(ResponseEvent.TOPIC, RatingEvent.TOPIC, DesignEvent.TOPIC, config.derivedTopic());
        this.repartition = applicationId + "-" + StudyTopology.REPARTITION + "-repartition";
        this.admin = Admin.create(kafka.with(Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000)));
    }

    void onStart(@Observes StartupEvent event) {
        checker.scheduleWithFixedDelay(() -> {
            if (!caughtUp) {
                check(streams.get().state());
            }
        }, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** The instance has caught up (fired once, on the catch-up thread): what waited for it can start now. */
    public record CaughtUp(long at) {
    }

    /** Whether this instance caught up once since it started (the background work waits for it). */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** When it caught up (System.nanoTime), once {@link #caughtUp()}. */
    public long caughtUpAt() {
        return caughtUpAt;
    }

    /** What it still waits for, when it has not caught up. */
    public String waitingFor() {
        return waitingFor;
    }

    private synchronized void check(KafkaStreams.State state) {
        if (caughtUp) {
            return;
        }
        if (state != KafkaStreams.State.RUNNING) {
            waitingFor = "Kafka Streams to restore its state (now " + state + ")";
            runningSince = 0;
            return;
        }
        if (runningSince == 0) {
            runningSince = System.nanoTime();
        }
        try {
            if (sourceTargets == null) {
                sourceTargets = endOffsets(sources, IsolationLevel.READ_UNCOMMITTED);
            }
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get(3, TimeUnit.SECONDS);
            String behind = behind(sourceTargets, committed);
            if (behind != null) {
                waitingFor = "the topics: " + behind;
                return;
            }
            behind = localLag();
            if (behind != null) {
                waitingFor = "the by-study topic: " + behind;
                return;
            }
            caughtUpAt = System.nanoTime();
            caughtUp = true;
            LOG.infof("caught up with the topics %d ms after Kafka Streams ran", (System.nanoTime() - runningSince) / 1_000_000);
            caughtUpEvent.fire(new CaughtUp(caughtUpAt));
        } catch (Exception e) {
            waitingFor = "the broker: " + e.getMessage();
        }
    }

    private Map<TopicPartition, Long> endOffsets(List<String> topics, IsolationLevel isolation) throws Exception {
        Collection<TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames().get(3, TimeUnit.SECONDS).values();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        descriptions.forEach(d -> d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get(3, TimeUnit.SECONDS)
                .forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    /** A by-study partition of this instance that its consumer has not read to the end, or null when none is left. */
    private String localLag() {
        KafkaStreams kafkaStreams = streams.get();
        Map<String, Double> lags = new HashMap<>();
        kafkaStreams.metrics().forEach((name, metric) -> {
            String client = name.tags().getOrDefault("client-id", "");
            if ("records-lag".equals(name.name()) && repartition.equals(name.tags().get("topic")) && !client.endsWith("restore-consumer")) {
                lags.put(name.tags().get("partition"), ((Number) metric.metricValue()).doubleValue());
            }
        });
        for (ThreadMetadata thread : kafkaStreams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                for (TopicPartition partition : task.topicPartitions()) {
                    if (repartition.equals(partition.topic())) {
                        Double lag = lags.get(String.valueOf(partition.partition()));
                        if (lag == null || lag.isNaN() || lag > 0) {
                            return partition + " lag " + lag;
                        }
                    }
                }
            }
        }
        return null;
    }

    /** A partition still behind its target, or null when none is. */
    private static String behind(Map<TopicPartition, Long> targets, Map<TopicPartition, OffsetAndMetadata> committed) {
        for (Map.Entry<TopicPartition, Long> target : targets.entrySet()) {
            OffsetAndMetadata at = committed.get(target.getKey());
            long position = at == null ? 0 : at.offset();
            if (target.getValue() > 0 && position < target.getValue()) {
                return target.getKey() + " at " + position + " of " + target.getValue();
            }
        }
        return null;
    }

    void onStop(@Observes ShutdownEvent event) {
        checker.shutdownNow();
        admin.close(java.time.Duration.ofSeconds(2));
    }
}
