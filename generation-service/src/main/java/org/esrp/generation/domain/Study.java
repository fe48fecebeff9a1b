package org.esrp.generation.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "study")
public class Study {

    @Id
    public UUID id;

    public String name;

    public String description;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
