package org.esrp.events;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The platform's topics as the contract asks for them: keyed by study, all with the same number of partitions (so that
 * one study's answers, ratings and design share a partition number, where metrics-service keeps its state), kept for
 * ever (they are the system of record), {@value DesignEvent#TOPIC} compacted. Each service ensures the topics it writes
 * at start (metrics-service all it reads); a topic that exists is left as it is.
 */
public final class EventTopics {

    private static final Logger LOG = Logger.getLogger(EventTopics.class.getName());

    private EventTopics() {
    }

    /**
     * The dead-letter topic: a record a consumer could not use, parked with its original key and value (bytes as read)
     * and headers saying why ({@value #DEAD_LETTER_REASON}) and where it was read ({@value #DEAD_LETTER_TOPIC},
     * {@value #DEAD_LETTER_PARTITION}, {@value #DEAD_LETTER_OFFSET}), the header names of SmallRye's dead-letter queue.
     */
    public static final String DLQ = "esrp.dlq";
    public static final String DEAD_LETTER_REASON = "dead-letter-reason";
    public static final String DEAD_LETTER_TOPIC = "dead-letter-topic";
    public static final String DEAD_LETTER_PARTITION = "dead-letter-partition";
    public static final String DEAD_LETTER_OFFSET = "dead-letter-offset";
    /** The counter of parked records on every consumer's /q/metrics, tagged with the topic they were read from. */
    public static final String DEAD_LETTER_METRIC = "esrp.dlq.records";

    /** The platform's topics, each with whether it is compacted (its latest record per key is what counts). */
    public static final Map<String, Boolean> ALL = Map.of(ResponseEvent.TOPIC, false, RatingEvent.TOPIC, false, DesignEvent.TOPIC, true,
            DLQ, false);

    /**
     * Creates those of the topics that do not exist (each compacted or kept for ever, as the map says), with
     * {@code min.insync.replicas} when given (with producers' acks=all, a write then waits for that many replicas), else
     * the broker's default; a broker that cannot be reached is logged, not thrown. Only the missing ones are asked
     * for, so a principal that may only describe a topic it reads does not need the right to create it.
     *
     * @param connection the admin client's configuration: bootstrap servers and security settings
     */
    public static void ensure(Map<String, Object> connection, int partitions, short replication, Optional<Integer> minInsyncReplicas,
                              Map<String, Boolean> topics) {
        List<NewTopic> missing = new ArrayList<>();
        topics.forEach((topic, compacted) -> {
            Map<String, String> configs = new HashMap<>();
            if (compacted) {
                configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            } else {
                configs.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
                configs.put(TopicConfig.RETENTION_BYTES_CONFIG, "-1");
            }
            minInsyncReplicas.ifPresent(min -> configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(min)));
            missing.add(new NewTopic(topic, partitions, replication).configs(configs));
        });
        Map<String, Object> config = new HashMap<>(connection);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = admin.listTopics().names().get(20, TimeUnit.SECONDS);
            for (NewTopic topic : missing) {
                if (existing.contains(topic.name())) {
                    continue;
                }
                try {
                    admin.createTopics(List.of(topic)).all().get(20, TimeUnit.SECONDS);
                    LOG.info("created topic " + topic.name() + " (" + partitions + " partitions)");
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        LOG.warning("could not create topic " + topic.name() + ": " + e.getCause().getMessage());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warning("could not check the topics " + topics.keySet() + ": " + e.getMessage());
        }
    }

    /**
     * Why the topics cannot serve as the system of record: each that deletes records (not compacted, and a finite
     * {@code retention.ms} or {@code retention.bytes}, whether set on it or taken from the broker's defaults), with the
     * command that keeps them; empty when every one keeps its records, or is compacted.
     */
    public static List<String> retentionProblems(Admin admin, Collection<String> topics, Duration timeout) throws Exception {
        List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        List<String> problems = new ArrayList<>();
        for (ConfigResource resource : resources) {
            Config config = configs.get(resource);
            String policy = value(config, TopicConfig.CLEANUP_POLICY_CONFIG);
            if (policy != null && policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                continue;
            }
            for (String limit : List.of(TopicConfig.RETENTION_MS_CONFIG, TopicConfig.RETENTION_BYTES_CONFIG)) {
                String value = value(config, limit);
                if (value != null && Long.parseLong(value) >= 0) {
                    problems.add("topic " + resource.name() + " deletes records (" + limit + "=" + value + "), but the streams are the"
                            + " system of record: keep them with kafka-configs.sh --alter --entity-type topics --entity-name "
                            + resource.name() + " --add-config " + limit + "=-1");
                }
            }
        }
        return problems;
    }

    private static String value(Config config, String name) {
        ConfigEntry entry = config == null ? null : config.get(name);
        return entry == null ? null : entry.value();
    }
}
