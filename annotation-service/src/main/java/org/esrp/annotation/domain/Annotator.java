package org.esrp.annotation.domain;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** A person who rates. Its bearer token is stored only as a SHA-256 hash. */
@Entity
@Table(name = "annotator")
public class Annotator {

    @Id
    public UUID id;

    @Column(name = "display_name")
    public String displayName;

    @Column(name = "token_hash")
    public String tokenHash;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "annotator_character", joinColumns = @JoinColumn(name = "annotator_id"))
    @Column(name = "character_id")
    public Set<UUID> characterIds = new HashSet<>();

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "annotator_language", joinColumns = @JoinColumn(name = "annotator_id"))
    @Column(name = "language")
    public Set<String> languages = new HashSet<>();

    /** The HUMAN responders (fan identities) this person answered as. */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "annotator_responder", joinColumns = @JoinColumn(name = "annotator_id"))
    @Column(name = "responder_id")
    public Set<UUID> responderIds = new HashSet<>();

    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
