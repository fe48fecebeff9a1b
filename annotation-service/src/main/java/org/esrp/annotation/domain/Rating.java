package org.esrp.annotation.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One accepted rating. publishedAt is the outbox mark, set once the broker acknowledged its record. */
@Entity
@Table(name = "rating")
public class Rating {

    @Id
    public UUID id;

    @Column(name = "task_id")
    public UUID taskId;

    @Column(name = "item_id")
    public UUID itemId;

    @Column(name = "annotator_id")
    public UUID annotatorId;

    @Column(name = "study_id")
    public UUID studyId;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    /** SHA-256 of the request (task and body) the Idempotency-Key was first sent with. */
    @Column(name = "request_hash")
    public String requestHash;

    /** JSON object: metric key to integer score. */
    public String scores;

    public String comment;

    @Column(name = "duration_ms")
    public Long durationMs;

    /** JSON list of flags (TOO_FAST, STRAIGHT_LINED). */
    public String flags;

    public boolean gold;

    @Column(name = "gold_passed")
    public Boolean goldPassed;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "published_at")
    public OffsetDateTime publishedAt;
}
