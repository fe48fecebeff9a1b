package org.esrp.annotation.service;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.config.AnnotationConfig;
import org.esrp.annotation.domain.Annotator;
import org.esrp.annotation.repository.AnnotatorRepository;
import org.esrp.common.security.Roles;
import org.esrp.common.security.TokenDirectory;
import org.esrp.common.security.TokenIdentityProvider;

import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.esrp.common.health.DatabaseTime;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Annotators' tokens, by the SHA-256 hash stored at registration: identities with the annotator role. */
@ApplicationScoped
public class AnnotatorTokens implements TokenDirectory {

    private static final String ANNOTATOR = "annotator";

    private final AnnotatorRepository annotators;
    private final long ttlNanos;
    private final Map<String, Known> recent = new ConcurrentHashMap<>();

    public AnnotatorTokens(AnnotatorRepository annotators, AnnotationConfig config) {
        this.annotators = annotators;
        this.ttlNanos = config.tokenCache().toNanos();
    }

    @Override
    public Uni<SecurityIdentity> identify(String tokenHash) {
        Known known = recent.get(tokenHash);
        if (known != null && known.until() - System.nanoTime() > 0) {
            return Uni.createFrom().item(known.identity());
        }
        // Within the database's time limit: a stalled database answers 503 (ProblemMappers), never a held request.
        return annotators.findByTokenHash(tokenHash)
                .ifNoItem().after(Duration.ofMillis(DatabaseTime.LIMIT_MS))
                .failWith(() -> new TimeoutException("the database did not answer within " + DatabaseTime.LIMIT_MS + " ms"))
                .map(annotator -> {
            if (annotator == null) {
                return null;
            }
            SecurityIdentity identity = TokenIdentityProvider.identity(annotator.id.toString(), Roles.ANNOTATOR)
                    .addAttribute(ANNOTATOR, annotator).build();
            if (recent.size() > 100_000) {
                recent.clear();
            }
            recent.put(tokenHash, new Known(identity, System.nanoTime() + ttlNanos));
            return identity;
        });
    }

    /** The annotator behind an identity this directory made. */
    public static Annotator annotator(SecurityIdentity identity) {
        return identity.getAttribute(ANNOTATOR);
    }

    // An annotator's every call carries its token: a crowd would otherwise read its profile twice per task.
    private record Known(SecurityIdentity identity, long until) {
    }
}
