package org.esrp.metrics.messaging;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.esrp.events.ResponseEvent;
import org.esrp.metrics.repository.StudyListener;
import org.esrp.metrics.repository.StudyModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the study processor asks Kafka Streams for a commit: it looks every 100 ms; while the events it applies are live,
 * at a look once the live-commit interval (300 ms here) has passed since its last commit; not while it reads a backlog
 * (the commit interval's turn); at once when the backlog is read.
 */
class CommitWhenLiveTest {

    static final long NOW = 1_800_000_000_000L;
    final UUID study = UUID.randomUUID();
    MockProcessorContext<String, byte[]> context;
    StudyTopology.StudyProcessor processor;

    @BeforeEach
    void start() {
        context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(NOW);
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StudyTopology.STORE),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        processor = new StudyTopology.StudyProcessor(new StudyModels(), StudyListener.NONE, false,
                new SimpleMeterRegistry().counter("parked"), OpenTelemetry.noop().getTracer("test"), Duration.ofMillis(300));
        processor.init(context);
    }

    @Test
    void liveEventsCommitOncePerInterval() {
        assertEquals(1, context.scheduledPunctuators().size());
        look();
        assertFalse(context.committed(), "nothing applied, nothing to commit");
        apply(NOW - 30);
        apply(NOW + 100 - 1);
        look();
        assertTrue(context.committed(), "the first commit: none before");
        context.resetCommit();
        for (int look = 1; look <= 2; look++) {
            apply(context.currentSystemTimeMs() + 95);
            apply(context.currentSystemTimeMs() + 99);
            look();
            assertFalse(context.committed(), "look " + look + ": " + 100 * look + " ms after the last commit");
        }
        apply(context.currentSystemTimeMs() + 99);
        look();
        assertTrue(context.committed(), "300 ms after the last commit");
        context.resetCommit();
        apply(context.currentSystemTimeMs() + 99);
        look();
        assertFalse(context.committed(), "100 ms after the last commit");
        look();
        assertTrue(context.committed(), "nothing new since the last look: what was applied commits at once");
        context.resetCommit();
        look();
        assertFalse(context.committed(), "nothing applied since the last commit");
    }

    @Test
    void aBacklogWaitsForTheIntervalThenCommitsWhenRead() {
        for (int look = 0; look < 5; look++) {
            for (int i = 0; i < 50; i++) {
                apply(NOW - 3_600_000);
            }
            look();
            assertFalse(context.committed(), "look " + look + " while reading a backlog");
        }
        look();
        assertTrue(context.committed(), "the backlog was read: nothing came since the last look");
        context.resetCommit();
        look();
        assertFalse(context.committed());
    }

    @Test
    void aLiveEventAfterABacklogCommitsAtTheNextLook() {
        apply(NOW - 3_600_000);
        look();
        assertFalse(context.committed());
        apply(NOW - 3_600_000);
        apply(NOW);
        look();
        assertTrue(context.committed());
    }

    private void apply(long timestamp) {
        ResponseEvent answer = new ResponseEvent(ResponseEvent.SCHEMA_VERSION, UUID.randomUUID(), study, UUID.randomUUID(),
                UUID.randomUUID(), "character", UUID.randomUUID(), "1", null, null, UUID.randomUUID(), "model", "LLM", "model", 1,
                "question", "answer", null, null, null, null, null, null);
        processor.process(new Record<>(study.toString(), new StudyEvent.Answer(answer), timestamp));
    }

    /** The next look, 100 ms after the last. */
    private void look() {
        context.setCurrentSystemTimeMs(context.currentSystemTimeMs() + 100);
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(context.currentSystemTimeMs());
    }
}
