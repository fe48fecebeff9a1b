package org.esrp.llm;

import java.time.Duration;
import java.util.Set;

/**
 * What the operator of a service that calls LLMs decides, produced by that service from its own configuration: how
 * often a failed call is tried again, which environment variables may hold keys, and which hosts may be plain http or
 * internal. {@code prefix} is where those properties live, for the messages that name them.
 */
public record LlmPolicy(String prefix, int maxAttempts, Duration initialBackoff, Duration maxBackoff, Set<String> apiKeyEnvAllowed,
                        Set<String> endpointHostsAllowed) {

    String property(String name) {
        return prefix + "." + name;
    }
}
