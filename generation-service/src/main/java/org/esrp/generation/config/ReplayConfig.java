package org.esrp.generation.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "esrp.replay")
public interface ReplayConfig {

    /** Serve /replay/v1/chat/completions from the recorded ChatAnime answers. */
    @WithDefault("false")
    boolean enabled();

    /** The folder of the ChatAnime files (one per responder, named after it). */
    @WithDefault("../shared/data/chatanime")
    String dataDir();
}
