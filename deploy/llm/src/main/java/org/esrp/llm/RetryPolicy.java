package org.esrp.llm;

import dev.langchain4j.exception.HttpException;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.Guard;

import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * Which failed LLM calls are worth another try, and when: 408, 429, 5xx, time-outs and network failures, after an
 * exponential backoff with full jitter, never sooner than the server's Retry-After. The retrying itself is SmallRye
 * Fault Tolerance's ({@link #guard()}); what is particular to LLM endpoints is decided here.
 */
@ApplicationScoped
public class RetryPolicy {

    private static final Logger LOG = Logger.getLogger(RetryPolicy.class);

    private final LlmPolicy config;

    public RetryPolicy(LlmPolicy config) {
        this.config = config;
    }

    /**
     * The guard every LLM call runs through (SmallRye Fault Tolerance): up to max-attempts calls, a retry only on
     * {@link #isRetryable} failures, after {@link #backoff()}.
     */
    public Guard guard() {
        return Guard.create()
                .withDescription("llm-call")
                .withRetry()
                .maxRetries(config.maxAttempts() - 1)
                // the backoff below decides every delay; no extra jitter, no overall cap but the attempts
                .jitter(0, ChronoUnit.MILLIS)
                .maxDuration(config.maxAttempts() * config.maxBackoff().toMillis() + 1, ChronoUnit.MILLIS)
                .whenException(RetryPolicy::isRetryable)
                .beforeRetry(failure -> LOG.debugf("LLM call failed (%s); retrying", failure.getMessage()))
                .withCustomBackoff().strategy(this::backoff).done()
                .done()
                .build();
    }

    /** A backoff for one guarded call: exponential with full jitter, never sooner than the server's Retry-After. */
    CustomBackoffStrategy backoff() {
        return new CustomBackoffStrategy() {
            private int attempt;

            @Override
            public long nextDelayInMillis(Throwable failure) {
                return delayAfter(failure, ++attempt).toMillis();
            }
        };
    }

    /** The delay before attempt {@code attempt + 1}. */
    Duration delayAfter(Throwable failure, int attempt) {
        long cap = Math.min(config.maxBackoff().toMillis(), config.initialBackoff().toMillis() * (1L << Math.min(attempt - 1, 20)));
        long backoff = ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
        Duration retryAfter = find(failure, LlmCallException.class).map(LlmCallException::retryAfter).orElse(null);
        return retryAfter != null && retryAfter.toMillis() > backoff ? retryAfter : Duration.ofMillis(backoff);
    }

    static boolean isRetryable(Throwable failure) {
        Optional<Integer> status = find(failure, LlmCallException.class).map(LlmCallException::status)
                .or(() -> find(failure, HttpException.class).map(HttpException::statusCode));
        if (status.isPresent()) {
            int code = status.get();
            return code == 408 || code == 429 || code >= 500;
        }
        // Any I/O failure on the way (refused, reset, a kept-alive connection the server closed as it was reused, a
        // time-out): the request may not even have arrived, and a chat completion asked again costs at most one answer.
        return find(failure, IOException.class).isPresent()
                || find(failure, TimeoutException.class).isPresent()
                || find(failure, dev.langchain4j.exception.TimeoutException.class).isPresent()
                || find(failure, io.vertx.core.http.HttpClosedException.class).isPresent()
                || find(failure, io.netty.handler.timeout.TimeoutException.class).isPresent()
                || failure.getClass().getSimpleName().contains("Timeout");
    }

    static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (type.isInstance(suppressed)) {
                    return Optional.of(type.cast(suppressed));
                }
            }
        }
        return Optional.empty();
    }
}
