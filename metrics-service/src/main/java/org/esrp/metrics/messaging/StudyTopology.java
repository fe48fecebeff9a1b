package org.esrp.metrics.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.esrp.events.DesignEvent;
import org.esrp.events.RatingEvent;
import org.esrp.events.ResponseEvent;
import org.esrp.metrics.config.MetricsConfig;
import org.esrp.metrics.repository.StoreKeyValues;
import org.esrp.metrics.repository.StudyListener;
import org.esrp.metrics.repository.StudyModels;
import org.esrp.metrics.repository.StudyState;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * metrics-service's stream processing. The answers of {@code esrp.responses}, the ratings of {@code esrp.ratings}, the
 * designs of {@code esrp.designs} and the results fed back on the derived topic are checked against the event contract
 * and keyed by study; each study's events are applied, in one task, to its partition of the changelog-backed store
 * ({@value #STORE}). The study's partition is where the default partitioner puts its id among
 * {@code esrp.metrics.partitions} partitions: the platform's producers key their records by study, so a record already
 * sits in its study's partition and is applied where it is read, at once; a record that does not (an older record keyed
 * by dialogue, a topic with another partition count, the derived topic's records) goes through the by-study topic
 * ({@value #REPARTITION}) to its study's partition.
 */
@ApplicationScoped
public class StudyTopology {

    public static final String STORE = "study-state";
    public static final String REPARTITION = "study-events";

    private static final Logger LOG = Logger.getLogger(StudyTopology.class);
    private static final ObjectMapper JSON = StudyEventSerde.MAPPER;

    @Produces
    public Topology topology(MetricsConfig config, StudyModels models, StudyListener listener) {
        int partitions = config.partitions();
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.Bytes(), Serdes.ByteArray())
                .withCachingDisabled());
        KStream<String, Routed> events = new Source<>(ResponseEvent.TOPIC, ResponseEvent.class, ResponseEvent::violations,
                a -> new StudyEvent.Answer(trim(a))).stream(builder, "responses", partitions)
                .merge(new Source<>(RatingEvent.TOPIC, RatingEvent.class, RatingEvent::violations, r -> new StudyEvent.Rating(trim(r)))
                        .stream(builder, "ratings", partitions), Named.as("answers-and-ratings"))
                .merge(new Source<>(DesignEvent.TOPIC, DesignEvent.class, DesignEvent::violations, StudyEvent.Design::new)
                        .stream(builder, "designs", partitions), Named.as("with-designs"))
                .merge(new Source<>(config.derivedTopic(), StudyEvent.class, e -> List.of(), e -> e)
                        .stream(builder, "derived", partitions), Named.as("with-derived"));
        Map<String, KStream<String, Routed>> routes = events.split(Named.as("route-"))
                .branch((study, event) -> event.home(), Branched.as("home"))
                .defaultBranch(Branched.as("away"));
        KStream<String, StudyEvent> home = routes.get("route-home").mapValues(Routed::event, Named.as("at-home"));
        KStream<String, StudyEvent> moved = routes.get("route-away").mapValues(Routed::event, Named.as("to-move"))
                .repartition(Repartitioned.with(Serdes.String(), new StudyEventSerde()).withName(REPARTITION)
                        .withNumberOfPartitions(partitions));
        boolean embeddings = config.embeddings().enabled();
        home.merge(moved, Named.as("by-study"))
                .process(() -> new StudyProcessor(models, listener, embeddings), Named.as("study-processor"), STORE);
        return builder.build();
    }

    /** The partition of a study's events and state: the default partitioner's, for its id as the key. */
    public static int partitionOf(UUID studyId, int partitions) {
        return Utils.toPositive(Utils.murmur2(studyId.toString().getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** A study event, and whether it was read in its study's partition. */
    record Routed(StudyEvent event, boolean home) {
    }

    /** One of the platform's topics: how its records are read, checked against the contract and made study events. */
    private record Source<T>(String topic, Class<T> type, Function<T, List<String>> violations, Function<T, StudyEvent> wrap) {

        KStream<String, Routed> stream(StreamsBuilder builder, String name, int partitions) {
            return builder.stream(topic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(name))
                    .process(() -> new ByStudy<>(this, partitions), Named.as(name + "-by-study"));
        }

        /** The record as a study event, or null (logged) when it is not JSON of its contract or breaks it. */
        StudyEvent read(byte[] value) {
            T record;
            try {
                record = value == null ? null : JSON.readValue(value, type);
            } catch (Exception e) {
                LOG.warnf("skipping a record of %s that is not JSON of its contract: %s", topic, e.getMessage());
                return null;
            }
            List<String> problems = record == null ? List.of("no value") : violations.apply(record);
            if (!problems.isEmpty()) {
                LOG.warnf("skipping a record of %s that breaks its contract: %s", topic, problems);
                return null;
            }
            return wrap.apply(record);
        }
    }

    /** Keys a topic's records by study, and tells whether each was read in its study's partition. */
    static final class ByStudy<T> implements Processor<byte[], byte[], String, Routed> {

        private final Source<T> source;
        private final int partitions;
        private ProcessorContext<String, Routed> context;

        ByStudy(Source<T> source, int partitions) {
            this.source = source;
            this.partitions = partitions;
        }

        @Override
        public void init(ProcessorContext<String, Routed> context) {
            this.context = context;
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            StudyEvent event = source.read(record.value());
            if (event == null) {
                return;
            }
            int partition = context.recordMetadata().map(RecordMetadata::partition).orElse(-1);
            boolean home = partition == partitionOf(event.studyId(), partitions);
            context.forward(new Record<>(event.studyId().toString(), new Routed(event, home), record.timestamp(), record.headers()));
        }
    }

    /** What the statistics need of an answer: its text and ids, not the user's message or the call's figures. */
    private static ResponseEvent trim(ResponseEvent a) {
        return new ResponseEvent(a.schemaVersion(), a.responseId(), a.studyId(), a.dialogueId(), a.characterId(), a.characterName(),
                a.scenarioId(), a.scenarioKey(), a.persona(), a.emotion(), a.responderId(), a.responderName(), a.responderKind(),
                a.modelName(), a.round(), null, a.answer(), null, null, null, null, null, null);
    }

    private static RatingEvent trim(RatingEvent r) {
        return new RatingEvent(r.schemaVersion(), r.ratingId(), r.studyId(), r.itemKind(), r.itemId(), r.dialogueId(), null,
                r.responderId(), r.responderKind(), r.modelName(), r.characterId(), r.characterName(), r.scenarioId(),
                r.annotatorId(), r.raterKind(), r.scores(), null, null, r.flags(), r.gold(), r.goldPassed(), null);
    }

    /** Applies a partition's events to its store and its studies' working aggregates. */
    static final class StudyProcessor implements Processor<String, StudyEvent, Void, Void> {

        private final StudyModels models;
        private final StudyListener listener;
        private final boolean embeddings;
        private StudyState state;

        StudyProcessor(StudyModels models, StudyListener listener, boolean embeddings) {
            this.models = models;
            this.listener = listener;
            this.embeddings = embeddings;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            KeyValueStore<Bytes, byte[]> store = context.getStateStore(STORE);
            state = new StudyState(new StoreKeyValues(store), context.taskId().partition(), models, listener, embeddings);
            state.load();
        }

        @Override
        public void process(Record<String, StudyEvent> record) {
            if (record.value() != null) {
                state.apply(record.value());
            }
        }

        @Override
        public void close() {
            if (state != null) {
                state.close();
            }
        }
    }
}
