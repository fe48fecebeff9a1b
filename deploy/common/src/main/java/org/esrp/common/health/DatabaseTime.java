package org.esrp.common.health;

/**
 * The time limit of a service method's database work (SmallRye Fault Tolerance's {@code @Timeout}, and the annotator
 * token lookup): a paused or unreachable database answers the request 503 with Retry-After after this long instead of
 * holding it open.
 */
public final class DatabaseTime {

    public static final long LIMIT_MS = 5_000;

    /**
     * The limit of a write that grows with the study, such as a run's start (one row per dialogue): 150,000 dialogues
     * take seconds on an idle machine, more while the platform starts up.
     */
    public static final long BULK_LIMIT_MS = 60_000;

    private DatabaseTime() {
    }
}
