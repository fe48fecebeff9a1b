package org.esrp.generation.domain;

public enum RunStatus {
    RUNNING, COMPLETED, CANCELLED
}
