package org.esrp.e2e;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver that keeps the spans it is sent in memory: the services export to it as to any collector
 * ({@code http/protobuf}, POST .../v1/traces), and a test reads what each sent. It decodes only the fields a test asks
 * about (the protobuf wire format of ExportTraceServiceRequest, opentelemetry-proto's trace.proto and resource.proto).
 */
final class OtlpCollector implements AutoCloseable {

    /** One span as a service exported it. */
    record ExportedSpan(String service, String traceId, String spanId, String parentSpanId, String name, int kind,
                        Map<String, String> attributes) {
    }

    private final HttpServer server;
    private final List<ExportedSpan> spans = new CopyOnWriteArrayList<>();

    OtlpCollector() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
                byte[] bytes = (gzip ? new GZIPInputStream(body) : body).readAllBytes();
                spans.addAll(request(bytes));
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, 0);
            } catch (RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** Where a service sends its traces (QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, with the http/protobuf protocol). */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<ExportedSpan> spans() {
        return List.copyOf(spans);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
    private static List<ExportedSpan> request(byte[] bytes) {
        List<ExportedSpan> found = new ArrayList<>();
        for (Field resourceSpans : Field.all(bytes)) {
            if (resourceSpans.number == 1) {
                found.addAll(resourceSpans(resourceSpans.bytes));
            }
        }
        return found;
    }

    // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }, Resource { repeated KeyValue attributes = 1; }
    private static List<ExportedSpan> resourceSpans(byte[] bytes) {
        String service = null;
        List<byte[]> scopes = new ArrayList<>();
        for (Field field : Field.all(bytes)) {
            if (field.number == 1) {
                service = attributes(field.bytes, 1).get("service.name");
            } else if (field.number == 2) {
                scopes.add(field.bytes);
            }
        }
        List<ExportedSpan> found = new ArrayList<>();
        for (byte[] scope : scopes) {
            // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
            for (Field field : Field.all(scope)) {
                if (field.number == 2) {
                    found.add(span(service, field.bytes));
                }
            }
        }
        return found;
    }

    // Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; SpanKind kind = 6;
    //        repeated KeyValue attributes = 9; }
    private static ExportedSpan span(String service, byte[] bytes) {
        String traceId = null;
        String spanId = null;
        String parent = "";
        String name = null;
        int kind = 0;
        for (Field field : Field.all(bytes)) {
            switch (field.number) {
                case 1 -> traceId = HexFormat.of().formatHex(field.bytes);
                case 2 -> spanId = HexFormat.of().formatHex(field.bytes);
                case 4 -> parent = HexFormat.of().formatHex(field.bytes);
                case 5 -> name = new String(field.bytes, java.nio.charset.StandardCharsets.UTF_8);
                case 6 -> kind = (int) field.varint;
                default -> { }
            }
        }
        return new ExportedSpan(service, traceId, spanId, parent, name, kind, attributes(bytes, 9));
    }

    // KeyValue { string key = 1; AnyValue value = 2; }, AnyValue { string string_value = 1; ... int_value = 3; }
    private static Map<String, String> attributes(byte[] message, int fieldNumber) {
        Map<String, String> attributes = new TreeMap<>();
        for (Field field : Field.all(message)) {
            if (field.number != fieldNumber) {
                continue;
            }
            String key = null;
            String value = null;
            for (Field part : Field.all(field.bytes)) {
                if (part.number == 1) {
                    key = new String(part.bytes, java.nio.charset.StandardCharsets.UTF_8);
                } else if (part.number == 2) {
                    for (Field any : Field.all(part.bytes)) {
                        value = any.number == 1 ? new String(any.bytes, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(any.varint);
                    }
                }
            }
            attributes.put(key, value);
        }
        return attributes;
    }

    /** One field of a protobuf message: its number and its payload (bytes when length-delimited, else the number). */
    private record Field(int number, byte[] bytes, long varint) {

        static List<Field> all(byte[] message) {
            List<Field> fields = new ArrayList<>();
            ByteBuffer in = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
            while (in.hasRemaining()) {
                long tag = varint(in);
                int number = (int) (tag >>> 3);
                switch ((int) (tag & 7)) {
                    case 0 -> fields.add(new Field(number, null, varint(in)));
                    case 1 -> fields.add(new Field(number, null, in.getLong()));
                    case 2 -> {
                        byte[] bytes = new byte[(int) varint(in)];
                        in.get(bytes);
                        fields.add(new Field(number, bytes, 0));
                    }
                    case 5 -> fields.add(new Field(number, null, in.getInt()));
                    default -> throw new IllegalArgumentException("wire type " + (tag & 7) + " is not OTLP's");
                }
            }
            return fields;
        }

        private static long varint(ByteBuffer in) {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = in.get();
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
        }
    }
}
