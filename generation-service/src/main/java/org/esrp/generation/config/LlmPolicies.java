package org.esrp.generation.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.esrp.llm.LlmPolicy;

import java.util.Set;

/** The LLM client's rules (org.esrp.llm), as this service's operator set them under esrp.generation. */
public class LlmPolicies {

    @Produces
    @Singleton
    LlmPolicy policy(GenerationConfig config) {
        return new LlmPolicy("esrp.generation", config.retry().maxAttempts(), config.retry().initialBackoff(),
                config.retry().maxBackoff(), config.apiKeyEnvAllowed().orElse(Set.of()), config.endpointHostsAllowed().orElse(Set.of()));
    }
}
