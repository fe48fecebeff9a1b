package org.esrp.common.security;

import io.smallrye.config.ConfigMapping;

import java.util.List;
import java.util.Optional;

/** Who may call the services: {@code esrp.access.*}, the same on every service. */
@ConfigMapping(prefix = "esrp.access")
public interface AccessConfig {

    /** The admin's bearer token (ESRP_ADMIN_TOKEN). Required: no default outside dev and test. */
    String adminToken();

    /**
     * Further tokens, by the SHA-256 hex of the token and its role: {@code researcher:<sha256>,analyst:<sha256>}
     * (ESRP_ACCESS_TOKENS). Only hashes are configured, so the configuration holds no usable secret.
     */
    Optional<List<String>> tokens();

    /**
     * For OIDC (off unless {@code quarkus.oidc.tenant-enabled=true}): which of the identity provider's roles or groups
     * is which platform role, {@code <provider's name>:<role>} (ESRP_ACCESS_OIDC_ROLES), e.g.
     * {@code esrp-researchers:researcher}. A provider role named like a platform role ({@code admin}, {@code researcher},
     * {@code analyst}) counts as that role without an entry; every other provider role counts for nothing.
     */
    Optional<List<String>> oidcRoles();
}
