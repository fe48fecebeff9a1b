package org.esrp.llm;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.math.BigDecimal;

/** A model's settings as a request gives them (a responder's, the simulator's, a judge's), checked field by field. */
public record LlmRequest(
        @NotBlank @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String baseUrl,
        @NotBlank @Size(max = 200) String modelName,
        @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]*", message = "must be an environment variable name") String apiKeyEnv,
        @DecimalMin("0.0") @DecimalMax("2.0") Double temperature,
        @Min(1) @Max(65536) Integer maxTokens,
        @Min(1) @Max(256) Integer maxConcurrency,
        @Min(1) @Max(100000) Integer requestsPerMinute,
        @Min(1) @Max(900) Integer timeoutSeconds,
        @DecimalMin("0.0") @DecimalMax("100000.0") @Digits(integer = 8, fraction = 4) BigDecimal priceInputPerMillion,
        @DecimalMin("0.0") @DecimalMax("100000.0") @Digits(integer = 8, fraction = 4) BigDecimal priceOutputPerMillion) {
    public LlmSettings toSettings() {
        LlmSettings settings = new LlmSettings();
        settings.baseUrl = baseUrl.strip();
        settings.modelName = modelName.strip();
        settings.apiKeyEnv = apiKeyEnv;
        settings.temperature = temperature;
        settings.maxTokens = maxTokens;
        settings.maxConcurrency = maxConcurrency;
        settings.requestsPerMinute = requestsPerMinute;
        settings.timeoutSeconds = timeoutSeconds;
        settings.priceInputPerMillion = priceInputPerMillion;
        settings.priceOutputPerMillion = priceOutputPerMillion;
        return settings;
    }
}
