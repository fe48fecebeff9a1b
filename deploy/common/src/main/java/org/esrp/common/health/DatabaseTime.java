package org.esrp.common.health;

/**
 * The time limit of a service method's database work (SmallRye Fault Tolerance's {@code @Timeout}): a paused or
 * unreachable database answers the request 503 with Retry-After after this long instead of holding it open.
 * Overridable per method or globally through MicroProfile Fault Tolerance configuration ({@code Timeout/value}).
 */
public final class DatabaseTime {

    public static final long LIMIT_MS = 5_000;

    private DatabaseTime() {
    }
}
