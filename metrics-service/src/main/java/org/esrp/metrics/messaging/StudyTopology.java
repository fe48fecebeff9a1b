package org.esrp.metrics.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
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

import java.util.List;
import java.util.function.Function;

/**
 * metrics-service's stream processing: the answers of {@code esrp.responses}, the ratings of {@code esrp.ratings}, the
 * designs of {@code esrp.designs} and the results fed back on the derived topic are checked against the event contract,
 * re-keyed by study into one repartition topic ({@value #REPARTITION}), and applied by the study's partition to its
 * changelog-backed store ({@value #STORE}), so that everything of one study sits in one task.
 */
@ApplicationScoped
public class StudyTopology {

    public static final String STORE = "study-state";
    public static final String REPARTITION = "study-events";

    private static final Logger LOG = Logger.getLogger(StudyTopology.class);
    private static final ObjectMapper JSON = StudyEventSerde.MAPPER;

    @Produces
    public Topology topology(MetricsConfig config, StudyModels models, StudyListener listener) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.Bytes(), Serdes.ByteArray())
                .withCachingDisabled());
        KStream<String, StudyEvent> answers = source(builder, ResponseEvent.TOPIC, "responses", ResponseEvent.class,
                ResponseEvent::violations, a -> new StudyEvent.Answer(trim(a)));
        KStream<String, StudyEvent> ratings = source(builder, RatingEvent.TOPIC, "ratings", RatingEvent.class,
                RatingEvent::violations, r -> new StudyEvent.Rating(trim(r)));
        KStream<String, StudyEvent> designs = source(builder, DesignEvent.TOPIC, "designs", DesignEvent.class,
                DesignEvent::violations, StudyEvent.Design::new);
        KStream<String, StudyEvent> derived = source(builder, config.derivedTopic(), "derived", StudyEvent.class,
                e -> List.of(), e -> e);
        boolean embeddings = config.embeddings().enabled();
        answers.merge(ratings, Named.as("answers-and-ratings")).merge(designs, Named.as("with-designs"))
                .merge(derived, Named.as("with-derived"))
                .repartition(Repartitioned.with(Serdes.String(), new StudyEventSerde()).withName(REPARTITION)
                        .withNumberOfPartitions(config.partitions()))
                .process(() -> new StudyProcessor(models, listener, embeddings), Named.as("study-processor"), STORE);
        return builder.build();
    }

    private static <T> KStream<String, StudyEvent> source(StreamsBuilder builder, String topic, String name, Class<T> type,
                                                          Function<T, List<String>> violations, Function<T, StudyEvent> wrap) {
        return builder.stream(topic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(name))
                .flatMap((key, value) -> {
                    T record;
                    try {
                        record = value == null ? null : JSON.readValue(value, type);
                    } catch (Exception e) {
                        LOG.warnf("skipping a record of %s that is not JSON of its contract: %s", topic, e.getMessage());
                        return List.of();
                    }
                    List<String> problems = record == null ? List.of("no value") : violations.apply(record);
                    if (!problems.isEmpty()) {
                        LOG.warnf("skipping a record of %s that breaks its contract: %s", topic, problems);
                        return List.of();
                    }
                    StudyEvent event = wrap.apply(record);
                    return List.of(KeyValue.pair(event.studyId().toString(), event));
                }, Named.as(name + "-by-study"));
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
