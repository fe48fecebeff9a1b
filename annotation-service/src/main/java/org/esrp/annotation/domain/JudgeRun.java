package org.esrp.annotation.domain;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One pass of a judge over the study's DIALOGUE items it has not rated yet, with its spend. */
public class JudgeRun {

    /** RUNNING, COMPLETED, CANCELLED, or BUDGET_REACHED (resumes when the budget is raised), as generation's runs. */
    public enum Status { RUNNING, COMPLETED, CANCELLED, BUDGET_REACHED }

    public UUID id;
    public UUID judgeId;
    public UUID studyId;
    public Status status;
    public int total;
    public int done;
    public int failed;
    public BigDecimal budget;
    public long tokensIn;
    public long tokensOut;
    public BigDecimal cost;
    public OffsetDateTime createdAt;
    public OffsetDateTime finishedAt;
}
