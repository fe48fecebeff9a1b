package org.esrp.common.health;

/**
 * The time limit of a service method's database work (SmallRye Fault Tolerance's {@code @Timeout}, and the annotator
 * token lookup): a paused or unreachable database answers the request 503 with Retry-After after this long instead of
 * holding it open.
 */
public final class DatabaseTime {

    public static final long LIMIT_MS = 5_000;

    /**
     * The limit of a write that grows with the study, such as a run's start (one row per dialogue): the demo's 12,000
     * dialogues took 1.9 s on a platform that had just started, past 5 s on one still starting; ten times as many, ten
     * times as long.
     */
    public static final long BULK_LIMIT_MS = 60_000;

    private DatabaseTime() {
    }
}
