package org.esrp.annotation.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.UUID;

/** An answer's place in a diversity set. */
@Entity
@Table(name = "item_answer")
@IdClass(ItemAnswer.Key.class)
public class ItemAnswer {

    @Id
    @Column(name = "item_id")
    public UUID itemId;

    @Id
    @Column(name = "response_id")
    public UUID responseId;

    public short position;

    public record Key(UUID itemId, UUID responseId) implements Serializable {
    }
}
