package org.esrp.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One PostgreSQL server and one Kafka broker per JVM, started on first use and stopped when the JVM exits.
 * Tests of all three services go through here, so every test run stands on the same real components.
 */
public final class LocalInfra {

    private static PostgresServer postgres;
    private static KafkaBroker kafka;
    private static Path workDir;

    private LocalInfra() {
    }

    public static synchronized PostgresServer postgres() {
        if (postgres == null) {
            try {
                postgres = PostgresServer.start(0, null);
            } catch (IOException e) {
                throw new IllegalStateException("embedded PostgreSQL did not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(LocalInfra::stopPostgres, "stop-postgres"));
        }
        return postgres;
    }

    public static synchronized KafkaBroker kafka() {
        if (kafka == null) {
            try {
                Path dir = workDir().resolve("kafka");
                kafka = KafkaBroker.start(0, dir.resolve("data"), dir.resolve("broker.log"));
            } catch (IOException e) {
                throw new IllegalStateException("the Kafka broker did not start", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the Kafka broker", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(LocalInfra::stopKafka, "stop-kafka"));
        }
        return kafka;
    }

    /** Stops the broker; {@link #restartKafka()} brings it back on the same port with the same data. */
    public static synchronized void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    public static synchronized void restartKafka() {
        try {
            kafka().restart();
        } catch (IOException e) {
            throw new IllegalStateException("the Kafka broker did not restart", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restarting the Kafka broker", e);
        }
    }

    private static synchronized void stopPostgres() {
        try {
            if (postgres != null) {
                postgres.close();
            }
        } catch (IOException ignored) {
            // the JVM is exiting anyway
        }
    }

    private static synchronized Path workDir() throws IOException {
        if (workDir == null) {
            workDir = Files.createTempDirectory("esrp-local-");
        }
        return workDir;
    }
}
