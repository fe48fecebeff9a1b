package org.esrp.bench;

import org.esrp.local.KafkaBroker;
import org.esrp.local.ServiceProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Restart-to-ready of metrics-service on the broker and state a metrics-scale run kept (BENCH_WORK), with and without
 * its class-data archive, alternately, so that both see the machine in the same state: a shared 2-core machine's speed
 * drifts by a factor of three within an hour, more than any one change moves a restart.
 */
public final class MetricsRestart {

    private MetricsRestart() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(System.getProperty("bench.work"));
        String size = System.getProperty("bench.size", "132000");
        int rounds = Integer.getInteger("bench.rounds", 5);
        Path state = work.resolve("state").resolve("a-" + size);
        String applicationId;
        try (var names = Files.list(state)) {
            // the newest instance a metrics-scale run left there: its stores are complete and its offsets committed
            applicationId = names.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("esrp-metrics-bench-" + size + "-"))
                    .max(String::compareTo).orElseThrow(() -> new IllegalStateException("no kept instance in " + state));
        }
        Path app = Path.of(System.getProperty("esrp.root"), "metrics-service", "target", "quarkus-app");
        Path archive = app.resolve(ServiceProcess.APP_CDS);
        Path aside = app.resolve(ServiceProcess.APP_CDS + ".aside");
        if (!Files.exists(archive)) {
            throw new IllegalStateException(archive + " is missing: package metrics-service first");
        }
        System.out.println("machine: " + MetricsScale.machine());
        System.out.println("instance " + applicationId + " on " + state + ", " + rounds + " rounds, each a restart with and one without the archive");
        KafkaBroker broker = KafkaBroker.start(0, work.resolve("kafka/data"), work.resolve("kafka.log"));
        Map<String, List<Double>> seconds = Map.of("with", new ArrayList<>(), "without", new ArrayList<>());
        Map<String, String> env = ServiceProcess.streams(broker.bootstrapServers(), applicationId, state, false, MetricsScale.ADMIN_TOKEN);
        MetricsScale.withJavaOptions(env, "");
        try (ServiceProcess instance = new ServiceProcess("metrics-service", env, ServiceProcess.freePort(),
                System.getProperty("bench.heap", ServiceProcess.METRICS_HEAP), work.resolve("metrics-restart.log"))) {
            for (int round = 0; round < rounds; round++) {
                for (String mode : round % 2 == 0 ? List.of("with", "without") : List.of("without", "with")) {
                    if (mode.equals("without")) {
                        Files.move(archive, aside, StandardCopyOption.ATOMIC_MOVE);
                    }
                    try {
                        long start = System.nanoTime();
                        instance.launch();
                        instance.awaitReady(Duration.ofMinutes(5));
                        double took = (System.nanoTime() - start) / 1e9;
                        seconds.get(mode).add(took);
                        System.out.printf(Locale.ROOT, "round %d, %s the archive: ready after %.1f s%n", round + 1, mode, took);
                        // time to look at the ready instance (jcmd, its endpoints) before it stops
                        Thread.sleep(Long.getLong("bench.hold-seconds", 0) * 1000);
                        instance.close();
                    } finally {
                        if (mode.equals("without")) {
                            Files.move(aside, archive, StandardCopyOption.ATOMIC_MOVE);
                        }
                    }
                }
            }
        } finally {
            broker.close();
        }
        for (String mode : List.of("with", "without")) {
            List<Double> s = seconds.get(mode).stream().sorted().toList();
            System.out.printf(Locale.ROOT, "%s the archive: median %.1f s, %.1f-%.1f s, %s%n", mode, s.get(s.size() / 2), s.get(0),
                    s.get(s.size() - 1), s);
        }
        System.exit(0);
    }
}
