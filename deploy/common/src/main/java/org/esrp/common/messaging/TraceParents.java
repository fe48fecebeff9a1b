package org.esrp.common.messaging;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trace's W3C {@code traceparent}, kept beside what a request stores and publishes later (an outbox row), so that the
 * Kafka record it becomes continues the request's trace; and read back from a record's headers where no messaging
 * instrumentation does it (the Kafka Streams topology).
 */
public final class TraceParents {

    public static final String HEADER = "traceparent";

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<Map<String, String>> FROM_MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private static final TextMapGetter<Headers> FROM_HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            return List.of(HEADER);
        }

        @Override
        public String get(Headers carrier, String key) {
            Header header = carrier == null ? null : carrier.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private TraceParents() {
    }

    /** The current span's traceparent; null when nothing is traced (no span, or tracing off). */
    public static String current() {
        Map<String, String> carrier = new HashMap<>(2);
        W3C.inject(Context.current(), carrier, Map::put);
        return carrier.get(HEADER);
    }

    /** The context a stored traceparent names; null when there is none, so that a caller starts no span for nothing. */
    public static Context context(String traceParent) {
        return traceParent == null ? null : remote(W3C.extract(Context.root(), Map.of(HEADER, traceParent), FROM_MAP));
    }

    /** The context a record's traceparent header names; null when it has none. */
    public static Context context(Headers headers) {
        return remote(W3C.extract(Context.root(), headers, FROM_HEADERS));
    }

    private static Context remote(Context extracted) {
        return io.opentelemetry.api.trace.Span.fromContext(extracted).getSpanContext().isValid() ? extracted : null;
    }
}
