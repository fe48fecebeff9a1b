package org.esrp.generation.domain;

public enum DialogueStatus {
    /** Exists, waits for a run (LLM) or for the fan's answers (HUMAN). */
    PENDING,
    /** Part of a running run, not claimed yet. */
    QUEUED,
    /** Claimed by a worker until its lease ends. */
    RUNNING,
    /** Both rounds stored. */
    DONE,
    /** The last attempt failed; the next run retries it. */
    FAILED
}
