package org.esrp.common.health;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.util.Map;

/**
 * Ready only while the Kafka broker answers within {@code esrp.health.timeout} (2 s): a stalled broker makes the
 * service not ready instead of leaving its readiness hanging or UP.
 */
@Readiness
@ApplicationScoped
public class BrokerReadiness implements AsyncHealthCheck {

    private final String bootstrap;
    private final Duration limit;
    private volatile Admin admin;

    public BrokerReadiness(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
                           @ConfigProperty(name = "esrp.health.timeout", defaultValue = "2s") Duration limit) {
        this.bootstrap = bootstrap;
        this.limit = limit;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        int millis = (int) limit.toMillis();
        return Probes.within("kafka broker", limit.plusMillis(200), () -> Uni.createFrom().completionStage(
                admin().describeCluster(new DescribeClusterOptions().timeoutMs(millis)).nodes().toCompletionStage()));
    }

    private Admin admin() {
        Admin current = admin;
        if (current == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) limit.toMillis(),
                            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) limit.toMillis()));
                }
                current = admin;
            }
        }
        return current;
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
