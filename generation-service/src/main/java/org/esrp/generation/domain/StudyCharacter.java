package org.esrp.generation.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A well-known character that responders speak as; its profile goes into the system prompt. */
@Entity
@Table(name = "study_character")
public class StudyCharacter {

    @Id
    public UUID id;

    @Column(name = "study_id")
    public UUID studyId;

    /** Unique within the study: "《work》的name" when the work is known (the ChatAnime key), else the name. */
    public String label;

    public String name;

    public String work;

    public String personality;

    @Column(name = "speech_style")
    public String speechStyle;

    public String history;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    public static String labelOf(String name, String work) {
        return work == null || work.isBlank() ? name : "《" + work + "》的" + name;
    }
}
