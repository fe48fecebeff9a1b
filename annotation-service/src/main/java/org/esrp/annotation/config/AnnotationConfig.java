package org.esrp.annotation.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

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
