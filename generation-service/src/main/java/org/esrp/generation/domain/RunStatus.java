package org.esrp.generation.domain;

public enum RunStatus {
    RUNNING, COMPLETED, CANCELLED,
    /** Stopped claiming: the next dialogue would have spent more than the run's budget. Raising it resumes the run. */
    BUDGET_REACHED
}
