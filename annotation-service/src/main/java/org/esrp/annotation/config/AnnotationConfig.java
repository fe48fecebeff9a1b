package org.esrp.annotation.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

@ConfigMapping(prefix = "esrp.annotation")
public interface AnnotationConfig {

    Outbox outbox();

    /** How long a study's design read for task hand-out and rating is reused (a change through this replica is seen at once). */
    @WithDefault("2s")
    Duration designCache();

    /** How long an annotator's token, once checked, is trusted without reading it again. */
    @WithDefault("5s")
    Duration tokenCache();

    Leases leases();

    Judges judges();

    /** LLM judges (README "LLM judges"): how this replica runs their judgments, and where their calls may go. */
    interface Judges {
        /** Judgments in flight at once on this replica, over every judge (each judge also has its max concurrency). */
        @WithDefault("32")
        int workers();

        @WithDefault("1s")
        Duration pollInterval();

        /** How long a judgment stays this replica's without a heartbeat: a dead replica's are taken over after it. */
        @WithDefault("20S")
        Duration lease();

        @WithDefault("5S")
        Duration heartbeat();

        /** Answers that are not the JSON asked for (a metric missing, a score off the scale) asked for again before the judgment fails. */
        @WithDefault("2")
        int invalidAnswerRetries();

        @WithDefault("6")
        int maxAttempts();

        @WithDefault("1S")
        Duration initialBackoff();

        @WithDefault("60S")
        Duration maxBackoff();

        /** The environment variables that may hold a judge's API key. */
        Optional<Set<String>> apiKeyEnvAllowed();

        /** Hosts a judge may reach over plain http or at internal addresses (self-hosted models). */
        Optional<Set<String>> endpointHostsAllowed();
    }

    interface Leases {
        /** How often expired leases give their items back to the queue. */
        @WithDefault("5s")
        Duration reapInterval();
    }

    interface Outbox {
        @WithDefault("1s")
        Duration interval();

        @WithDefault("500")
        int batchSize();
    }
}
