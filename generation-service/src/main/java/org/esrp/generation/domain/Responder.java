package org.esrp.generation.domain;

import org.esrp.llm.LlmSettings;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** Who answers as the character: an LLM behind an OpenAI-compatible endpoint, or a human fan. */
@Entity
@Table(name = "responder")
public class Responder {

    @Id
    public UUID id;

    @Column(name = "study_id")
    public UUID studyId;

    public String name;

    @Enumerated(EnumType.STRING)
    public ResponderKind kind;

    /** LLM responders only. */
    @Embedded
    public LlmSettings llm = new LlmSettings();

    /** HUMAN responders only: the characters this fan plays; empty means any. */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "responder_character", joinColumns = @JoinColumn(name = "responder_id"))
    @Column(name = "character_id")
    public Set<UUID> characterIds = new HashSet<>();

    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
