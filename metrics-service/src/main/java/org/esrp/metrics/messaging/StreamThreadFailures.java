package org.esrp.metrics.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.esrp.metrics.config.MetricsConfig;
import org.jboss.logging.Logger;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a failed stream thread leads to (Quarkus hands this bean to Kafka Streams). Kafka Streams' own answer shuts the
 * client down, and the instance would go on serving its last leaderboards, frozen, until something restarted it. Most
 * failures pass (a transaction that timed out on a loaded machine, a broker that restarted), so the thread is
 * replaced: under exactly-once its open transaction is aborted, and its tasks resume from their last commit and reload
 * their studies from the store. A failure that keeps coming back shuts the client down instead, so that liveness (Quarkus'
 * Kafka Streams state check) fails and the orchestrator restarts the instance rather than it replacing threads forever.
 */
@ApplicationScoped
public class StreamThreadFailures implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = Logger.getLogger(StreamThreadFailures.class);

    private final int limit;
    private final long windowNanos;
    private final Deque<Long> recent = new ArrayDeque<>();

    public StreamThreadFailures(MetricsConfig config) {
        this(config.streamThreadFailures().limit(), config.streamThreadFailures().window().toNanos());
    }

    StreamThreadFailures(int limit, long windowNanos) {
        this.limit = limit;
        this.windowNanos = windowNanos;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        StreamThreadExceptionResponse response = response(System.nanoTime());
        LOG.errorf(exception, "a stream thread failed; %s", response == StreamThreadExceptionResponse.REPLACE_THREAD
                ? "it is replaced" : "the " + limit + " replacements allowed in " + windowNanos / 1_000_000_000L + " s are used up, Kafka Streams stops");
        return response;
    }

    /** REPLACE_THREAD unless this failure is over the limit within the window that ends now. */
    synchronized StreamThreadExceptionResponse response(long now) {
        while (!recent.isEmpty() && now - recent.peekFirst() > windowNanos) {
            recent.removeFirst();
        }
        if (recent.size() >= limit) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        recent.addLast(now);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
