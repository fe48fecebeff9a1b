package org.esrp.llm;

import java.time.Duration;
import java.time.OffsetDateTime;

/** How long a run of LLM calls (a generation run, a judge run) has left, from its pace so far. */
public final class RunPace {

    private RunPace() {
    }

    /** Seconds left at the pace so far; 0 once the run has ended; null while it runs and nothing finished yet. */
    public static Long etaSeconds(OffsetDateTime createdAt, int finished, int remaining, boolean running) {
        if (!running) {
            return 0L;
        }
        if (finished == 0) {
            return null;
        }
        long elapsed = Duration.between(createdAt, OffsetDateTime.now()).toMillis();
        return Math.round(elapsed / (double) finished * remaining / 1000.0);
    }
}
