package org.esrp.annotation.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One answer as consumed from esrp.responses (its responseId is the key). */
@Entity
@Table(name = "answer")
public class Answer {

    @Id
    @Column(name = "response_id")
    public UUID responseId;

    @Column(name = "study_id")
    public UUID studyId;

    @Column(name = "dialogue_id")
    public UUID dialogueId;

    @Column(name = "character_id")
    public UUID characterId;

    @Column(name = "character_name")
    public String characterName;

    @Column(name = "scenario_id")
    public UUID scenarioId;

    @Column(name = "scenario_key")
    public String scenarioKey;

    public String persona;

    public String emotion;

    @Column(name = "responder_id")
    public UUID responderId;

    @Column(name = "responder_name")
    public String responderName;

    @Column(name = "responder_kind")
    public String responderKind;

    @Column(name = "model_name")
    public String modelName;

    public short round;

    @Column(name = "user_message")
    public String userMessage;

    public String answer;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "in_diversity_set")
    public boolean inDiversitySet;
}
