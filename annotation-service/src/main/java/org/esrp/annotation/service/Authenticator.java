package org.esrp.annotation.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.config.AnnotationConfig;
import org.esrp.annotation.repository.AnnotatorRepository;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Bearer tokens: the admin's from configuration, each annotator's by the SHA-256 hash stored at registration. */
@ApplicationScoped
public class Authenticator {

    private final AnnotatorRepository annotators;
    private final byte[] adminToken;

    public Authenticator(AnnotatorRepository annotators, AnnotationConfig config) {
        this.annotators = annotators;
        this.adminToken = config.adminToken().getBytes(StandardCharsets.UTF_8);
    }

    public Uni<Caller> requireAdmin(String authorization) {
        return authenticate(authorization).invoke(caller -> {
            if (!caller.admin()) {
                throw new ApiException(403, null, "this needs the admin token");
            }
        });
    }

    public Uni<Caller> requireAnnotator(String authorization) {
        return authenticate(authorization).invoke(caller -> {
            if (caller.annotator() == null) {
                throw new ApiException(403, null, "this needs an annotator's token");
            }
        });
    }

    @WithSession
    public Uni<Caller> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() < 8) {
            return Uni.createFrom().failure(new ApiException(401, "Authorization", "send 'Authorization: Bearer <token>'"));
        }
        String token = authorization.substring(7).strip();
        if (MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), adminToken)) {
            return Uni.createFrom().item(new Caller(true, null));
        }
        return annotators.findByTokenHash(hash(token))
                .onItem().ifNull().failWith(() -> new ApiException(401, "Authorization", "unknown token"))
                .map(annotator -> new Caller(false, annotator));
    }

    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
