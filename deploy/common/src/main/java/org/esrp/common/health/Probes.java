package org.esrp.common.health;

import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.health.HealthCheckResponse;

import java.time.Duration;
import java.util.function.Supplier;

/** Readiness probes that answer within a limit: a dependency that does not answer in time is DOWN, not a hung probe. */
public final class Probes {

    private Probes() {
    }

    public static Uni<HealthCheckResponse> within(String name, Duration limit, Supplier<Uni<?>> probe) {
        return Uni.createFrom().deferred(probe)
                .ifNoItem().after(limit).failWith(() -> new IllegalStateException("no answer within " + limit.toMillis() + " ms"))
                .map(answer -> HealthCheckResponse.up(name))
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named(name).down()
                        .withData("reason", String.valueOf(e.getMessage())).build());
    }
}
