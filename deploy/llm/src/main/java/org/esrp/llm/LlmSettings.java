package org.esrp.llm;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import java.math.BigDecimal;

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

    /** What the provider charges, in the study's currency, per million input (prompt) tokens; null: not counted. */
    @Column(name = "price_input_per_million")
    public BigDecimal priceInputPerMillion;

    /** Per million output (completion) tokens. */
    @Column(name = "price_output_per_million")
    public BigDecimal priceOutputPerMillion;

    /** What one call with these token counts costs; zero for what is not priced or not reported. */
    public BigDecimal cost(Integer tokensIn, Integer tokensOut) {
        return part(priceInputPerMillion, tokensIn).add(part(priceOutputPerMillion, tokensOut));
    }

    private static BigDecimal part(BigDecimal pricePerMillion, Integer tokens) {
        return pricePerMillion == null || tokens == null ? BigDecimal.ZERO
                : pricePerMillion.multiply(BigDecimal.valueOf(tokens)).movePointLeft(6);
    }
}
