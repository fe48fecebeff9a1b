package org.esrp.annotation.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/** What annotators rate. Responder fields stay on the server side: tasks never show them. */
@Entity
@Table(name = "item")
public class Item {

    @Id
    public UUID id;

    @Column(name = "study_id")
    public UUID studyId;

    @Enumerated(EnumType.STRING)
    public ItemKind kind;

    @Column(name = "dialogue_id")
    public UUID dialogueId;

    @Column(name = "character_id")
    public UUID characterId;

    @Column(name = "character_name")
    public String characterName;

    @Column(name = "scenario_id")
    public UUID scenarioId;

    public String persona;

    public String emotion;

    @Column(name = "responder_id")
    public UUID responderId;

    @Column(name = "responder_kind")
    public String responderKind;

    @Column(name = "model_name")
    public String modelName;

    /** Gold items carry their expected scores (JSON: metric to [min, max]) and their own content (JSON rounds). */
    public boolean gold;

    @Column(name = "gold_expected")
    public String goldExpected;

    @Column(name = "gold_content")
    public String goldContent;

    /** Accepted ratings so far; only ever incremented in SQL (see ItemRepository), never written from a loaded entity. */
    @Column(updatable = false)
    public int ratings;

    /** k minus (ratings + live leases); written at creation, then only in SQL under the row lock (see TaskQueue). */
    @Column(name = "open_slots", updatable = false)
    public int openSlots;

    /** A diversity set's ordinal among its responder's sets for its character. */
    @Column(name = "set_ordinal")
    public Integer setOrdinal;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
