package org.esrp.common.messaging;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How the Kafka clients a service makes itself (admin clients, a producer of its own) reach the brokers: the bootstrap
 * servers and the security settings (TLS, SASL) that its messaging channels get from the same {@code KAFKA_*}
 * variables (e.g. {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_JAAS_CONFIG}), so that every client of a service
 * connects as the same principal.
 */
@ApplicationScoped
public class KafkaConnection {

    private static final List<String> SECURITY = List.of("security.", "sasl.", "ssl.");

    private final Map<String, Object> connection = new HashMap<>();

    public KafkaConnection(@Identifier("default-kafka-broker") Map<String, Object> broker,
                           @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        broker.forEach((key, value) -> {
            if (SECURITY.stream().anyMatch(key::startsWith)) {
                connection.put(key, value);
            }
        });
        connection.put("bootstrap.servers", bootstrap);
    }

    /** A client's configuration: the connection, then the client's own settings. */
    public Map<String, Object> with(Map<String, Object> own) {
        Map<String, Object> config = new HashMap<>(connection);
        config.putAll(own);
        return config;
    }
}
