package org.esrp.annotation.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.domain.StudyDesign;

import java.util.UUID;

@ApplicationScoped
@WithSession
public class StudyDesignRepository implements PanacheRepositoryBase<StudyDesign, UUID> {
}
