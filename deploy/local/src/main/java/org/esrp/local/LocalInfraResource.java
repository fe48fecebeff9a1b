package org.esrp.local;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points a service under test at the real PostgreSQL and Kafka of {@link LocalInfra}. Init arg {@code database}
 * names the service's own database.
 */
public class LocalInfraResource implements QuarkusTestResourceLifecycleManager {

    private String database = "esrp";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        PostgresServer postgres = LocalInfra.postgres();
        postgres.ensureDatabase(database);
        KafkaBroker kafka = LocalInfra.kafka();
        return Map.of(
                "quarkus.datasource.reactive.url", postgres.reactiveUrl(database),
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(database),
                "quarkus.datasource.username", PostgresServer.USER,
                "quarkus.datasource.password", PostgresServer.PASSWORD,
                "kafka.bootstrap.servers", kafka.bootstrapServers());
    }

    @Override
    public void stop() {
        // LocalInfra's shutdown hooks stop both servers once, after every test class of the JVM has run.
    }
}
