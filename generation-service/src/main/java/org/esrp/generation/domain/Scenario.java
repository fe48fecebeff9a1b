package org.esrp.generation.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/** An everyday, emotion-centred situation; its opening message is the user's round-1 message. */
@Entity
@Table(name = "scenario")
public class Scenario {

    @Id
    public UUID id;

    @Column(name = "study_id")
    public UUID studyId;

    /** The scenario's key within the study, e.g. ChatAnime's dialog_id. */
    @Column(name = "external_id")
    public String externalId;

    public String persona;

    public String emotion;

    public String event;

    @Column(name = "opening_message")
    public String openingMessage;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
