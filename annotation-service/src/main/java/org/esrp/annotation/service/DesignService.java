package org.esrp.annotation.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.domain.ItemKind;
import org.esrp.annotation.domain.Metric;
import org.esrp.annotation.domain.Rubric;
import org.esrp.annotation.domain.StudyDesign;
import org.esrp.annotation.repository.StudyDesignRepository;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A study's annotation design, and the rubric its items are rated on. */
@ApplicationScoped
public class DesignService {

    private final StudyDesignRepository designs;
    private final ObjectMapper mapper;

    public DesignService(StudyDesignRepository designs, ObjectMapper mapper) {
        this.designs = designs;
        this.mapper = mapper;
    }

    public Uni<StudyDesign> design(UUID studyId) {
        return designs.findById(studyId).map(found -> found != null ? found : StudyDesign.defaults(studyId));
    }

    @WithTransaction
    public Uni<StudyDesign> put(StudyDesign design, List<Metric> rubric) {
        design.rubric = rubric == null ? null : write(rubric);
        design.updatedAt = OffsetDateTime.now();
        return designs.findById(design.studyId).flatMap(existing -> {
            if (existing == null) {
                return designs.persist(design);
            }
            existing.ratersPerItem = design.ratersPerItem;
            existing.matchCharacters = design.matchCharacters;
            existing.goldShare = design.goldShare;
            existing.minSeconds = design.minSeconds;
            existing.leaseSeconds = design.leaseSeconds;
            existing.diversitySetSize = design.diversitySetSize;
            existing.rubric = design.rubric;
            existing.updatedAt = design.updatedAt;
            return Uni.createFrom().item(existing);
        });
    }

    /** The metrics an item of this kind is rated on in this design. */
    public List<Metric> rubric(StudyDesign design, ItemKind kind) {
        if (kind == ItemKind.DIVERSITY || design.rubric == null) {
            return Rubric.of(kind);
        }
        try {
            return mapper.readValue(design.rubric, new TypeReference<List<Metric>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored rubric of study " + design.studyId + " is unreadable", e);
        }
    }

    private String write(List<Metric> rubric) {
        try {
            return mapper.writeValueAsString(rubric);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
