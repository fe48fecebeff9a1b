package org.esrp.llm;

import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.common.security.Tokens;

import java.time.Duration;

/**
 * Spaces the requests to one model endpoint evenly so that the whole deployment, every replica together, sends at
 * most its {@code requestsPerMinute}. An endpoint is its URL, model and key variable: responders that share all three
 * share the provider's limit too.
 */
@ApplicationScoped
public class RateLimiter {

    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private final RateRepository rates;

    public RateLimiter(RateRepository rates) {
        this.rates = rates;
    }

    /** Blocks until this caller may send; returns at once for settings without a rate. */
    void acquire(LlmSettings settings) throws InterruptedException {
        if (settings.requestsPerMinute == null) {
            return;
        }
        String endpoint = Tokens.hash(settings.baseUrl + '\n' + settings.modelName + '\n' + settings.apiKeyEnv);
        long waitMicros = rates.takeSlot(endpoint, 60_000_000L / settings.requestsPerMinute).await().atMost(DB_TIMEOUT);
        if (waitMicros > 0) {
            Thread.sleep(waitMicros / 1000, (int) (waitMicros % 1000) * 1000);
        }
    }
}
