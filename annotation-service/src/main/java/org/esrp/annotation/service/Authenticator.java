package org.esrp.annotation.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.config.AnnotationConfig;
import org.esrp.annotation.repository.AnnotatorRepository;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Bearer tokens: the admin's from configuration, each annotator's by the SHA-256 hash stored at registration. */
@ApplicationScoped
public class Authenticator {

    private final AnnotatorRepository annotators;
    private final byte[] adminToken;
    private final long ttlNanos;
    private final Map<String, Known> recent = new ConcurrentHashMap<>();

    public Authenticator(AnnotatorRepository annotators, AnnotationConfig config) {
        this.annotators = annotators;
        this.adminToken = config.adminToken().getBytes(StandardCharsets.UTF_8);
        this.ttlNanos = config.tokenCache().toNanos();
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

    public Uni<Caller> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() < 8) {
            return Uni.createFrom().failure(new ApiException(401, "Authorization", "send 'Authorization: Bearer <token>'"));
        }
        String token = authorization.substring(7).strip();
        if (MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), adminToken)) {
            return Uni.createFrom().item(new Caller(true, null));
        }
        String hash = hash(token);
        Known known = recent.get(hash);
        if (known != null && known.until() - System.nanoTime() > 0) {
            return Uni.createFrom().item(known.caller());
        }
        return annotators.findByTokenHash(hash)
                .onItem().ifNull().failWith(() -> new ApiException(401, "Authorization", "unknown token"))
                .map(annotator -> {
                    Caller caller = new Caller(false, annotator);
                    if (recent.size() > 100_000) {
                        recent.clear();
                    }
                    recent.put(hash, new Known(caller, System.nanoTime() + ttlNanos));
                    return caller;
                });
    }

    // An annotator's every call carries its token: a crowd would otherwise read its profile twice per task.
    private record Known(Caller caller, long until) {
    }

    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
