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
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import io.micrometer.core.instrument.Counter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.esrp.common.messaging.TraceParents;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.kstream.Produced;
import org.esrp.events.DesignEvent;
import org.esrp.events.EventTopics;
import org.esrp.events.RatingEvent;
import org.esrp.events.ResponseEvent;
import org.esrp.metrics.config.MetricsConfig;
import org.esrp.metrics.repository.StoreKeyValues;
import org.esrp.metrics.repository.StudyListener;
import org.esrp.metrics.repository.StudyModels;
import org.esrp.metrics.repository.StudyState;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
    /** How often a partition's processor looks whether to ask for a commit. */
    static final long LOOK_MS = 100;
    /** An event written less than this long before it is applied is live; older ones are a backlog being read. */
    private static final long LIVE_MS = 2_000;

    private static final Logger LOG = Logger.getLogger(StudyTopology.class);
    private static final ObjectMapper JSON = StudyEventSerde.MAPPER;

    @Produces
    public Topology topology(MetricsConfig config, StudyModels models, StudyListener listener, MeterRegistry registry, Tracer tracer) {
        int partitions = config.partitions();
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.Bytes(), Serdes.ByteArray())
                .withCachingDisabled());
        KStream<String, Routed> events = new Source<>(ResponseEvent.TOPIC, ResponseEvent.class, ResponseEvent::violations,
                a -> new StudyEvent.Answer(trim(a)), parked(registry, ResponseEvent.TOPIC)).stream(builder, "responses", partitions)
                .merge(new Source<>(RatingEvent.TOPIC, RatingEvent.class, RatingEvent::violations, r -> new StudyEvent.Rating(trim(r)),
                        parked(registry, RatingEvent.TOPIC)).stream(builder, "ratings", partitions), Named.as("answers-and-ratings"))
                .merge(new Source<>(DesignEvent.TOPIC, DesignEvent.class, DesignEvent::violations, StudyEvent.Design::new,
                        parked(registry, DesignEvent.TOPIC)).stream(builder, "designs", partitions), Named.as("with-designs"))
                .merge(new Source<>(config.derivedTopic(), StudyEvent.class, e -> List.of(), e -> e, parked(registry, config.derivedTopic()))
                        .stream(builder, "derived", partitions), Named.as("with-derived"));
        Map<String, KStream<String, Routed>> routes = events.split(Named.as("route-"))
                .branch((study, event) -> event.event() == null, Branched.as("poison"))
                .branch((study, event) -> event.home(), Branched.as("home"))
                .defaultBranch(Branched.as("away"));
        routes.get("route-poison").mapValues(Routed::poison, Named.as("to-park"))
                .to(EventTopics.DLQ, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("parked"));
        KStream<String, StudyEvent> home = routes.get("route-home").mapValues(Routed::event, Named.as("at-home"));
        KStream<String, StudyEvent> moved = routes.get("route-away").mapValues(Routed::event, Named.as("to-move"))
                .repartition(Repartitioned.with(Serdes.String(), new StudyEventSerde()).withName(REPARTITION)
                        .withNumberOfPartitions(partitions));
        boolean embeddings = config.embeddings().enabled();
        Counter outOfScale = parked(registry, RatingEvent.TOPIC);
        home.merge(moved, Named.as("by-study"))
                .process(() -> new StudyProcessor(models, listener, embeddings, outOfScale, tracer, config.liveCommitInterval()), Named.as("study-processor"), STORE)
                .to(EventTopics.DLQ, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("parked-by-study"));
        return builder.build();
    }

    /** The partition of a study's events and state: the default partitioner's, for its id as the key. */
    public static int partitionOf(UUID studyId, int partitions) {
        return Utils.toPositive(Utils.murmur2(studyId.toString().getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** A study event and whether it was read in its study's partition; or, with no event, a record to park as read. */
    record Routed(StudyEvent event, boolean home, byte[] poison) {
    }

    private static Counter parked(MeterRegistry registry, String topic) {
        return registry.counter(EventTopics.DEAD_LETTER_METRIC, "topic", topic);
    }

    /** The record's headers, with why it is parked and where it was read. */
    static Headers deadLetter(Headers headers, String reason, ProcessorContext<?, ?> context) {
        Headers parked = new RecordHeaders(headers.toArray());
        parked.add(EventTopics.DEAD_LETTER_REASON, reason.getBytes(StandardCharsets.UTF_8));
        context.recordMetadata().ifPresent(m -> {
            parked.add(EventTopics.DEAD_LETTER_TOPIC, m.topic().getBytes(StandardCharsets.UTF_8));
            parked.add(EventTopics.DEAD_LETTER_PARTITION, String.valueOf(m.partition()).getBytes(StandardCharsets.UTF_8));
            parked.add(EventTopics.DEAD_LETTER_OFFSET, String.valueOf(m.offset()).getBytes(StandardCharsets.UTF_8));
        });
        return parked;
    }

    /** One of the platform's topics: how its records are read, checked against the contract and made study events. */
    private record Source<T>(String topic, Class<T> type, Function<T, List<String>> violations, Function<T, StudyEvent> wrap,
                             Counter parked) {

        KStream<String, Routed> stream(StreamsBuilder builder, String name, int partitions) {
            return builder.stream(topic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(name))
                    .process(() -> new ByStudy<>(this, partitions), Named.as(name + "-by-study"));
        }

        /** The record as a study event; a failure's message says how it breaks the contract. */
        StudyEvent read(byte[] value) {
            T record;
            try {
                record = value == null ? null : JSON.readValue(value, type);
            } catch (Exception e) {
                throw new IllegalArgumentException("not JSON of the " + topic + " contract: " + e.getMessage().lines().findFirst().orElse(""));
            }
            List<String> problems = record == null ? List.of("the record has no value") : violations.apply(record);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("breaks the " + topic + " contract: " + String.join("; ", problems));
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
            StudyEvent event;
            try {
                event = source.read(record.value());
            } catch (IllegalArgumentException e) {
                LOG.warnf("parking a record of %s on %s: %s", source.topic(), EventTopics.DLQ, e.getMessage());
                source.parked().increment();
                String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                context.forward(new Record<>(key, new Routed(null, false, record.value()), record.timestamp(),
                        deadLetter(record.headers(), e.getMessage(), context)));
                return;
            }
            int partition = context.recordMetadata().map(RecordMetadata::partition).orElse(-1);
            boolean home = partition == partitionOf(event.studyId(), partitions);
            context.forward(new Record<>(event.studyId().toString(), new Routed(event, home, null), record.timestamp(), record.headers()));
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
                r.annotatorId(), r.raterKind(), r.raterModel(), r.scores(), null, null, r.flags(), r.gold(), r.goldPassed(), null);
    }

    /**
     * Applies a partition's events to its store and its studies' working aggregates; forwards, to be parked, the ratings
     * whose scores the study's rubric does not have.
     */
    static final class StudyProcessor implements Processor<String, StudyEvent, String, byte[]> {

        private final StudyModels models;
        private final StudyListener listener;
        private final boolean embeddings;
        private final Counter parked;
        private final Tracer tracer;
        private final Duration liveCommit;
        private ProcessorContext<String, byte[]> context;
        private StudyState state;
        // events applied since the last commit asked for, and at the last look; whether the last one was live
        private long uncommitted;
        private long atLastLook;
        private boolean live;
        private long lastCommit;

        StudyProcessor(StudyModels models, StudyListener listener, boolean embeddings, Counter parked, Tracer tracer, Duration liveCommit) {
            this.models = models;
            this.listener = listener;
            this.embeddings = embeddings;
            this.parked = parked;
            this.tracer = tracer;
            this.liveCommit = liveCommit;
        }

        @Override
        public void init(ProcessorContext<String, byte[]> context) {
            this.context = context;
            KeyValueStore<Bytes, byte[]> store = context.getStateStore(STORE);
            state = new StudyState(new StoreKeyValues(store), context.taskId().partition(), models, listener, embeddings);
            state.load();
            context.schedule(Duration.ofMillis(LOOK_MS), PunctuationType.WALL_CLOCK_TIME, now -> commitWhenLive());
        }

        /**
         * Looks every {@value #LOOK_MS} ms. Asks for a commit as soon as a backlog is read (nothing new since the last
         * look), so that a restarted instance's readiness, which waits for the committed offsets, comes at once; while
         * the partition's events are live, every {@code esrp.metrics.live-commit-interval}. A commit stops the stream
         * thread for tens of milliseconds under load (the consumed offsets sent to the transaction, the changelog's
         * writes flushed, the transaction's markers): at a commit every 100 ms, a third of its time at 500 ratings/s,
         * with every rating meanwhile waiting. The leaderboards do not wait for commits; events moved to their study's
         * partition and parked records do.
         */
        private void commitWhenLive() {
            long now = context.currentSystemTimeMs();
            if (uncommitted > 0 && (uncommitted == atLastLook || (live && now - lastCommit >= liveCommit.toMillis()))) {
                context.commit();
                uncommitted = 0;
                lastCommit = now;
            }
            atLastLook = uncommitted;
        }

        @Override
        public void process(Record<String, StudyEvent> record) {
            uncommitted++;
            live = context.currentSystemTimeMs() - record.timestamp() < LIVE_MS;
            if (record.value() instanceof StudyEvent.Rating rating) {
                String refusal = state.refusal(rating.rating());
                if (refusal != null) {
                    LOG.warnf("parking rating %s on %s: %s", rating.rating().ratingId(), EventTopics.DLQ, refusal);
                    parked.increment();
                    context.forward(new Record<>(record.key(), json(rating.rating()), record.timestamp(),
                            deadLetter(record.headers(), refusal, context)));
                    return;
                }
            }
            if (record.value() instanceof StudyEvent.Rating rating) {
                applyTraced(rating.rating(), record);
            } else if (record.value() != null) {
                state.apply(record.value());
            }
        }

        /**
         * A rating's last step, the leaderboard update, as a span of the trace its record carries (Kafka Streams has no
         * tracing of its own): a rating is followed from its POST through Kafka to here.
         */
        private void applyTraced(RatingEvent rating, Record<String, StudyEvent> record) {
            Context sent = TraceParents.context(record.headers());
            if (sent == null) {
                state.apply(record.value());
                return;
            }
            Span span = tracer.spanBuilder(RatingEvent.TOPIC + " process").setParent(sent).setSpanKind(SpanKind.CONSUMER)
                    .setAttribute("messaging.system", "kafka")
                    .setAttribute("messaging.destination.name", RatingEvent.TOPIC)
                    .setAttribute("esrp.study.id", rating.studyId().toString())
                    .setAttribute("esrp.rating.id", rating.ratingId().toString())
                    .startSpan();
            try (Scope ignored = span.makeCurrent()) {
                state.apply(record.value());
            } catch (RuntimeException e) {
                span.recordException(e);
                throw e;
            } finally {
                span.end();
            }
        }

        private static byte[] json(RatingEvent rating) {
            try {
                return JSON.writeValueAsBytes(rating);
            } catch (Exception e) {
                throw new IllegalStateException(e);
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
