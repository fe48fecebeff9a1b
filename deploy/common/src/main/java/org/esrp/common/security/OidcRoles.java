package org.esrp.common.security;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An identity the organisation's identity provider vouched for (OIDC) gets the platform roles its provider roles map to
 * ({@link AccessConfig#oidcRoles()}), with the roles those imply, and nothing else: a provider role that happens to be
 * called {@code annotator} must not pass for one of the study's annotators, who exist only as tokens the platform issued.
 * <p>
 * An augmentor rather than {@code quarkus.http.auth.roles-mapping}, which is applied after augmentors and so could not
 * add the roles a mapped role implies.
 */
@ApplicationScoped
public class OidcRoles implements SecurityIdentityAugmentor {

    private final Map<String, String> roleByProviderRole = new HashMap<>();

    public OidcRoles(AccessConfig config) {
        for (String issued : Roles.ISSUED) {
            roleByProviderRole.put(issued, issued);
        }
        for (String entry : config.oidcRoles().orElse(List.of())) {
            int colon = entry.lastIndexOf(':');
            String providerRole = colon < 0 ? "" : entry.substring(0, colon).strip();
            String role = colon < 0 ? "" : entry.substring(colon + 1).strip();
            if (providerRole.isEmpty() || !Roles.ISSUED.contains(role)) {
                throw new ConfigurationException("esrp.access.oidc-roles: each entry is <identity provider's role>:<role>, the role one of "
                        + Roles.ISSUED + "; got '" + entry + "'");
            }
            roleByProviderRole.put(providerRole, role);
        }
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken)) {
            return Uni.createFrom().item(identity);
        }
        Set<String> roles = new HashSet<>();
        for (String providerRole : identity.getRoles()) {
            String role = roleByProviderRole.get(providerRole);
            if (role != null) {
                roles.addAll(Roles.implied(role));
            }
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addRoles(roles)
                .build());
    }
}
