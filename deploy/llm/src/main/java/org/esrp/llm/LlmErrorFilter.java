package org.esrp.llm;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.ext.Provider;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Registered by Quarkus on the REST client that quarkus-langchain4j-openai uses: turns an error answer of a chat
 * completion into an {@link LlmCallException} that keeps the status and the Retry-After header for
 * {@link RetryPolicy}.
 */
@Provider
public class LlmErrorFilter implements ClientResponseFilter {

    private static final int MAX_BODY = 2000;

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) throws IOException {
        if (response.getStatus() < 400 || !request.getUri().getPath().endsWith("/chat/completions")) {
            return;
        }
        throw new LlmCallException(response.getStatus(), retryAfter(response.getHeaderString("Retry-After")),
                "HTTP " + response.getStatus() + " from " + request.getUri().getHost() + ": " + body(response));
    }

    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        try {
            return Duration.ofMillis(Math.max(0, Math.round(Double.parseDouble(value) * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static String body(ClientResponseContext response) throws IOException {
        if (!response.hasEntity()) {
            return "";
        }
        try (InputStream in = response.getEntityStream()) {
            String body = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
            return body.replaceAll("\\s+", " ").strip();
        }
    }
}
