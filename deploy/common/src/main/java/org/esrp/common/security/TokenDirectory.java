package org.esrp.common.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** A service's own tokens beyond the configured ones (annotation-service: its annotators'). */
public interface TokenDirectory {

    /** The identity a token (given as its SHA-256 hex) belongs to, or a null item when this directory did not issue it. */
    Uni<SecurityIdentity> identify(String tokenHash);
}
