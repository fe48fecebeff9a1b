package org.esrp.generation.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.generation.domain.Response;

import java.util.UUID;

@ApplicationScoped
@WithSession
public class ResponseRepository implements PanacheRepositoryBase<Response, UUID> {
}
