package org.esrp.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The infrastructure half of {@code deploy/local/platform up}: PostgreSQL and the Kafka broker on fixed ports,
 * with their data kept under the state folder so that a later {@code up} finds the study again. Runs until
 * killed; the script starts the services against it.
 *
 * <p>Arguments: state folder, PostgreSQL port, Kafka port, database names...
 */
public final class Platform {

    private Platform() {
    }

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]).toAbsolutePath();
        int pgPort = Integer.parseInt(args[1]);
        int kafkaPort = Integer.parseInt(args[2]);
        List<String> databases = List.of(args).subList(3, args.length);

        PostgresServer postgres = PostgresServer.start(pgPort, state.resolve("postgres"));
        databases.forEach(postgres::ensureDatabase);
        KafkaBroker kafka = KafkaBroker.start(kafkaPort, state.resolve("kafka"), state.resolve("logs/kafka.log"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            try {
                postgres.close();
            } catch (Exception ignored) {
                // exiting
            }
        }, "platform-stop"));

        Files.writeString(state.resolve("infra.ready"),
                "postgres=" + postgres.port() + "\nkafka=" + kafka.bootstrapServers() + "\nkafka.pid=" + kafka.pid() + "\n",
                StandardCharsets.UTF_8);
        System.out.println("infrastructure ready: PostgreSQL on 127.0.0.1:" + postgres.port() + ", Kafka on "
                + kafka.bootstrapServers());
        Thread.currentThread().join();
    }
}
