package org.esrp.generation.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

@ConfigMapping(prefix = "esrp.generation")
public interface GenerationConfig {

    /**
     * Dialogues this replica generates at once, over all responders (one thread each: a dialogue's calls are
     * sequential). Each responder's own max concurrency holds across all replicas within that.
     */
    @WithDefault("128")
    int workers();

    /** How often a replica looks for queued dialogues of responders it has no slot running for. */
    @WithDefault("1s")
    Duration pollInterval();

    /**
     * How long a claimed dialogue stays with its replica without a heartbeat; a dead replica's dialogues are taken
     * over after at most this long.
     */
    @WithDefault("20S")
    Duration lease();

    /** How often a replica renews the leases of the dialogues it is generating; well under the lease. */
    @WithDefault("5S")
    Duration heartbeat();

    Retry retry();

    /** The only environment variables an LLM responder's key may be read from (ESRP_GENERATION_API_KEY_ENV_ALLOWED). */
    Optional<Set<String>> apiKeyEnvAllowed();

    /**
     * Hosts LLM endpoints may use plain http on, or an internal address (the local platform's replay endpoint, a
     * self-hosted model in the cluster): ESRP_GENERATION_ENDPOINT_HOSTS_ALLOWED. Others must be public https hosts.
     */
    Optional<Set<String>> endpointHostsAllowed();

    Outbox outbox();

    interface Retry {
        /** Calls per LLM request, the first included, on 429, 5xx and time-outs. */
        @WithDefault("6")
        int maxAttempts();

        @WithDefault("1S")
        Duration initialBackoff();

        @WithDefault("60S")
        Duration maxBackoff();
    }

    interface Outbox {
        @WithDefault("1s")
        Duration interval();

        @WithDefault("500")
        int batchSize();
    }
}
