package org.esrp.common.health;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.esrp.common.messaging.KafkaConnection;

import java.time.Duration;
import java.util.Map;

/** One Kafka admin client per probe, made on first use (a service starts before its broker may answer). */
final class SharedAdmin {

    private final KafkaConnection connection;
    private final Duration limit;
    private volatile Admin admin;

    SharedAdmin(KafkaConnection connection, Duration limit) {
        this.connection = connection;
        this.limit = limit;
    }

    Admin get() {
        Admin current = admin;
        if (current == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(connection.with(Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) limit.toMillis(),
                            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) limit.toMillis())));
                }
                current = admin;
            }
        }
        return current;
    }

    void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
