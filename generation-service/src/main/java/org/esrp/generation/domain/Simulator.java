package org.esrp.generation.domain;

import org.esrp.llm.LlmSettings;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/** The user-simulator LLM of a study: it writes each dialogue's round-2 user message from the round-1 exchange. */
@Entity
@Table(name = "simulator")
public class Simulator {

    @Id
    @Column(name = "study_id")
    public UUID studyId;

    @Embedded
    public LlmSettings llm = new LlmSettings();

    /** Template with {character}, {persona}, {emotion}, {event}, {question}, {answer} placeholders. */
    public String prompt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
