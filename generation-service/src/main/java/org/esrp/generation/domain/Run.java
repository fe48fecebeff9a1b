package org.esrp.generation.domain;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A request to generate every missing or failed LLM dialogue of a study; replicas share its work through the
 * dialogue table (see RunRepository).
 */
public class Run {

    public UUID id;

    public UUID studyId;

    public RunStatus status;

    public int total;

    public int done;

    public int failed;
    /** What the run may spend; null: no limit. */
    public BigDecimal budget;
    public long tokensIn;
    public long tokensOut;
    public BigDecimal cost;

    public OffsetDateTime createdAt;

    public OffsetDateTime finishedAt;
}
