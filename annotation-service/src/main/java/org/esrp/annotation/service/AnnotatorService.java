package org.esrp.annotation.service;

import org.eclipse.microprofile.faulttolerance.Timeout;
import org.esrp.common.health.DatabaseTime;
import org.esrp.common.security.Tokens;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.domain.Annotator;
import org.esrp.annotation.repository.AnnotatorRepository;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class AnnotatorService {

    private final AnnotatorRepository annotators;
    private final SecureRandom random = new SecureRandom();

    public AnnotatorService(AnnotatorRepository annotators) {
        this.annotators = annotators;
    }

    /** The token is returned here once; only its hash is kept. */
    public record Registered(UUID id, String displayName, String token) {
    }

    @WithTransaction
    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<Registered> register(String displayName, List<UUID> characterIds, List<String> languages, List<UUID> responderIds) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = "esrp_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Annotator annotator = new Annotator();
        annotator.id = UUID.randomUUID();
        annotator.displayName = displayName.strip();
        annotator.tokenHash = Tokens.hash(token);
        annotator.characterIds = new HashSet<>(characterIds == null ? List.of() : characterIds);
        annotator.languages = new HashSet<>(languages == null ? List.of() : languages);
        annotator.responderIds = new HashSet<>(responderIds == null ? List.of() : responderIds);
        annotator.createdAt = OffsetDateTime.now();
        return annotators.persist(annotator).map(a -> new Registered(a.id, a.displayName, token));
    }

    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<List<Annotator>> list() {
        return annotators.listAll();
    }
}
