package org.esrp.local;

/**
 * Entry point of the broker JVM: runs Kafka, and exits (through Kafka's own shutdown hook) as soon as its
 * standard input closes, which happens when the JVM that started it ends, however it ends. So no broker
 * outlives the test run or the platform that started it.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // the parent writes nothing; we only wait for the end of the stream
                }
            } catch (java.io.IOException ignored) {
                // a broken pipe means the same as end of stream
            }
            System.exit(0);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        kafka.Kafka.main(args);
    }
}
