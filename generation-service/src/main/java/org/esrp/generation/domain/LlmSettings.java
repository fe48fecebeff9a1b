package org.esrp.generation.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/**
 * How to reach one model behind an OpenAI-compatible endpoint. The API key itself is never stored: only the name of
 * the environment variable that holds it, read when the model is built.
 */
@Embeddable
public class LlmSettings {

    @Column(name = "base_url")
    public String baseUrl;

    @Column(name = "model_name")
    public String modelName;

    @Column(name = "api_key_env")
    public String apiKeyEnv;

    public Double temperature;

    @Column(name = "max_tokens")
    public Integer maxTokens;

    @Column(name = "max_concurrency")
    public Integer maxConcurrency;

    @Column(name = "requests_per_minute")
    public Integer requestsPerMinute;

    @Column(name = "timeout_seconds")
    public Integer timeoutSeconds;
}
