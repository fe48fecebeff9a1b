package org.esrp.annotation.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A lease of one item to one annotator until expiresAt; an expired, unsubmitted lease is reaped (EXPIRED) and frees the item. */
@Entity
@Table(name = "task")
public class Task {

    public static final String LEASED = "LEASED";
    public static final String SUBMITTED = "SUBMITTED";
    public static final String EXPIRED = "EXPIRED";

    @Id
    public UUID id;

    @Column(name = "item_id")
    public UUID itemId;

    @Column(name = "annotator_id")
    public UUID annotatorId;

    public String status;

    @Column(name = "leased_at")
    public OffsetDateTime leasedAt;

    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;

    /** Orders a diversity set's answers for this annotator. */
    @Column(name = "shuffle_seed")
    public long shuffleSeed;
}
