package org.esrp.generation.service;

/**
 * Spaces a responder's requests evenly so that this replica sends at most {@code requestsPerMinute} of them a minute.
 */
final class RateLimiter {

    private final long intervalNanos;
    private long nextFreeAt = System.nanoTime();

    RateLimiter(int requestsPerMinute) {
        this.intervalNanos = 60_000_000_000L / requestsPerMinute;
    }

    /** Blocks until this caller may send. */
    void acquire() throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long slot = Math.max(now, nextFreeAt);
            nextFreeAt = slot + intervalNanos;
            wait = slot - now;
        }
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
