package org.esrp.generation.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One responder's two-round conversation as one character in one scenario; unique per that combination. */
@Entity
@Table(name = "dialogue")
public class Dialogue {

    @Id
    public UUID id;

    @Column(name = "study_id")
    public UUID studyId;

    @Column(name = "character_id")
    public UUID characterId;

    @Column(name = "scenario_id")
    public UUID scenarioId;

    @Column(name = "responder_id")
    public UUID responderId;

    @Enumerated(EnumType.STRING)
    public DialogueStatus status;

    @Column(name = "run_id")
    public UUID runId;

    @Column(name = "lease_until")
    public OffsetDateTime leaseUntil;

    public int attempts;

    @Column(name = "failure_reason")
    public String failureReason;

    /** HUMAN dialogues: the simulator's round-2 question, waiting for the fan's answer. */
    @Column(name = "pending_question")
    public String pendingQuestion;

    @Column(name = "pending_simulator_model")
    public String pendingSimulatorModel;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
