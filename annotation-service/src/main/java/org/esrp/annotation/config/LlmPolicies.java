package org.esrp.annotation.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.esrp.llm.LlmPolicy;

import java.util.Set;

/** The LLM client's rules (org.esrp.llm) for judges, as this service's operator set them under esrp.annotation.judges. */
public class LlmPolicies {

    @Produces
    @Singleton
    LlmPolicy policy(AnnotationConfig config) {
        AnnotationConfig.Judges judges = config.judges();
        return new LlmPolicy("esrp.annotation.judges", judges.maxAttempts(), judges.initialBackoff(), judges.maxBackoff(),
                judges.apiKeyEnvAllowed().orElse(Set.of()), judges.endpointHostsAllowed().orElse(Set.of()));
    }
}
