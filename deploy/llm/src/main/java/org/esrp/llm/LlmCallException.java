package org.esrp.llm;

import java.time.Duration;

/**
 * An LLM endpoint answered with an HTTP error. Carries what the retry policy needs: the status and the server's
 * Retry-After, which langchain4j's own exceptions do not keep.
 */
public class LlmCallException extends RuntimeException {

    private final int status;
    private final Duration retryAfter;

    public LlmCallException(int status, Duration retryAfter, String message) {
        super(message);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    /** Null when the server sent none. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
