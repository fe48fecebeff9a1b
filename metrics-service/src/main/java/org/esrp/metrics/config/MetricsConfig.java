package org.esrp.metrics.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "esrp.metrics")
public interface MetricsConfig {

    /**
     * Partitions of the study state: a study's events and state sit in the partition the default partitioner gives its
     * id. The platform's topics should have this many partitions (then their records are applied where they are read;
     * none may have more), and studies spread over instances by them, so this bounds how many instances share the work.
     * Fixed for the life of the application id.
     */
    @WithDefault("6")
    int partitions();

    /** Replication of the topics metrics-service creates (its sources when missing, its derived topic). */
    @WithDefault("1")
    short replication();

    /** The compacted topic through which results computed off the stream thread reach the study's partition. */
    @WithDefault("esrp-metrics.derived")
    String derivedTopic();

    /** A study's views are computed at most this often, whatever the rate of its events. */
    @WithDefault("100ms")
    Duration throttle();

    /**
     * How often a partition whose events are live commits its transaction (a backlog commits as soon as it is read).
     * The leaderboards do not wait for it: they read the state as events are applied. Events moved to their study's
     * partition and records parked on the dead-letter topic do; each commit stops the stream thread until the broker has
     * taken the transaction (tens of milliseconds under load), and every event meanwhile waits.
     */
    @WithDefault("1s")
    Duration liveCommitInterval();

    /** Rater statistics, which read every rating, are computed at most this often. */
    @WithDefault("1s")
    Duration ratersThrottle();

    /** How long a (responder, character) group must be quiet before its diversity is computed again. */
    @WithDefault("500ms")
    Duration diversityQuiet();

    /** A (responder, character) group that keeps changing has its diversity computed at most this often. */
    @WithDefault("5s")
    Duration diversityThrottle();

    /** How long a request forwarded to the instance that owns a study may take. */
    @WithDefault("10s")
    Duration forwardTimeout();

    Embeddings embeddings();

    StreamThreadFailures streamThreadFailures();

    /** How many failed stream threads are replaced before Kafka Streams is stopped (and liveness fails). */
    interface StreamThreadFailures {
        /** Failures replaced within {@link #window()}; the next one stops Kafka Streams. */
        @WithDefault("3")
        int limit();

        @WithDefault("10m")
        Duration window();
    }

    Bootstrap bootstrap();

    interface Bootstrap {
        /** Resamples of the cluster bootstrap behind the comparisons' intervals and rank intervals. */
        @WithDefault("1000")
        int resamples();

        /** Its seed, published with every result: the same ratings, resamples and seed give the same intervals. */
        @WithDefault("20240521")
        long seed();
    }

    interface Embeddings {
        /** Embedding dispersion with the in-JVM bge-small-zh model. */
        @WithDefault("true")
        boolean enabled();
    }
}
