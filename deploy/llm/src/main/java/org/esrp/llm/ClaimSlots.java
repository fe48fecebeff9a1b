package org.esrp.llm;

import io.quarkus.runtime.configuration.ConfigurationException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A replica's share of leased work that calls models: generation's dialogues, judges' judgments. A slot does one
 * claim after another of the same owner (a responder, a judge): when one ends, its lease passes to the owner's next
 * queued claim in the same statement ({@link Work#finish}), so the owner's max concurrency stays busy instead of
 * waiting for the next poll. A poll only opens slots, for owners with work and room under their limit; the database
 * decides the room, over every replica. A heartbeat renews the leases in hand, so that leases can be short and a dead
 * replica's work is taken over soon. The work is blocking (model calls wait for their answer and their rate): slots
 * are threads of a fixed pool.
 *
 * @param <C> a claim: what identifies one leased piece of work
 * @param <R> what doing it gives, handed to {@link Work#finish}
 */
public final class ClaimSlots<C, R> {

    private static final Logger LOG = Logger.getLogger(ClaimSlots.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    /** The leased work, as a service's repository and its model calls do it. Every method but perform is one statement. */
    public interface Work<C, R> {

        /** The owners with claimable work. */
        List<UUID> ownersWithWork();

        /** Claims up to {@code limit} of the owner's work for this replica, within the owner's limit over every replica. */
        List<C> claim(UUID owner, int limit, long leaseMillis);

        /** Does the claimed work; blocking. */
        R perform(C claim) throws Throwable;

        /**
         * Records how the claim ended ({@code failure} null: done, with {@code result}) and returns the owner's next
         * claim, its lease handed over; empty when there is none, or {@code owner} is null (this replica stops).
         */
        Optional<C> finish(C claim, R result, String failure, UUID owner, long leaseMillis);

        /** The heartbeat: the claims in hand stay this replica's for another lease. */
        void renew(List<C> held, long leaseMillis);

        /** Ends what has nothing left to do (runs that are complete, or stopped by their budget). */
        void completeFinished();
    }

    private final String name;
    private final Work<C, R> work;
    private final int workers;
    private final long leaseMillis;
    private final ExecutorService pool;
    private final AtomicInteger slots = new AtomicInteger();
    private final Set<C> inHand = ConcurrentHashMap.newKeySet();
    private final ReentrantLock polling = new ReentrantLock();
    private final ExecutorService waker;
    private volatile boolean stopping;

    /**
     * @param name what the threads and the configuration are called ({@code esrp.generation}: the properties
     *             {@code <name>.lease} and {@code <name>.heartbeat} in the messages)
     */
    public ClaimSlots(String name, Work<C, R> work, int workers, Duration lease, Duration heartbeat) {
        if (heartbeat.multipliedBy(2).compareTo(lease) > 0) {
            // a lease that can run out between two heartbeats hands work still being done to another slot
            throw new ConfigurationException(name + ".heartbeat (" + heartbeat + ") must be at most half of " + name + ".lease (" + lease + ")");
        }
        this.name = name;
        this.work = work;
        this.workers = workers;
        this.leaseMillis = lease.toMillis();
        AtomicInteger threads = new AtomicInteger();
        String prefix = name.substring(name.lastIndexOf('.') + 1);
        this.pool = Executors.newFixedThreadPool(workers, r -> daemon(r, prefix + "-" + threads.incrementAndGet()));
        this.waker = Executors.newSingleThreadExecutor(r -> daemon(r, prefix + "-wake"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread thread = new Thread(r, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Polls at once, off the caller's thread: work was queued here. */
    public void wake() {
        waker.execute(this::poll);
    }

    /** Opens slots for the owners with work; called on the service's schedule. */
    public void poll() {
        // one poll at a time (the schedule's and a wake-up's): a poll that runs covers what the other would do
        if (!polling.tryLock()) {
            return;
        }
        try {
            for (UUID owner : work.ownersWithWork()) {
                int free = workers - slots.get();
                if (free <= 0 || stopping) {
                    break;
                }
                for (C claim : work.claim(owner, free, leaseMillis)) {
                    open(owner, claim);
                }
            }
            work.completeFinished();
        } finally {
            polling.unlock();
        }
    }

    /** Renews the leases in hand; called on the service's heartbeat schedule. */
    public void heartbeat() {
        List<C> held = List.copyOf(inHand);
        if (!held.isEmpty()) {
            work.renew(held, leaseMillis);
        }
    }

    /** The claims this replica holds now. */
    public Set<C> inHand() {
        return Set.copyOf(inHand);
    }

    private void open(UUID owner, C first) {
        slots.incrementAndGet();
        inHand.add(first);
        pool.execute(() -> {
            try {
                for (C claim = first; claim != null; ) {
                    claim = performAndHandOver(owner, claim);
                }
            } finally {
                slots.decrementAndGet();
            }
        });
    }

    /** Does the claim, records how it ended, and returns the slot's next claim (null ends the slot). */
    private C performAndHandOver(UUID owner, C claim) {
        R result = null;
        String failure = null;
        try {
            result = work.perform(claim);
        } catch (InterruptedException e) {
            // shutting down: the lease runs out and another replica (or the next start) takes the work over
            Thread.currentThread().interrupt();
            inHand.remove(claim);
            return null;
        } catch (Throwable t) {
            failure = t.getClass().getSimpleName() + ": " + t.getMessage();
            LOG.warnf("%s: %s failed: %s", name, claim, failure);
            failure = failure.length() > 2000 ? failure.substring(0, 2000) : failure;
        }
        try {
            C next = work.finish(claim, result, failure, stopping ? null : owner, leaseMillis).orElse(null);
            if (next != null) {
                inHand.add(next);
            }
            return next;
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: could not record the end of %s; its lease will hand it over", name, claim);
            return null;
        } finally {
            inHand.remove(claim);
        }
    }

    /** Stops taking work and interrupts what is in hand; its leases run out and hand it over. */
    public void stop() throws InterruptedException {
        stopping = true;
        waker.shutdownNow();
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** How long one of {@link Work}'s statements may take. */
    public static Duration dbTimeout() {
        return DB_TIMEOUT;
    }
}
