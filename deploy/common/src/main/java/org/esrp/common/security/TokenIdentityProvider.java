package org.esrp.common.security;

import io.quarkus.arc.All;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Platform tokens to identities: the admin token, the configured tokens' hashes ({@link AccessConfig#tokens()}), then
 * the service's own {@link TokenDirectory} (annotators). A token this platform did not issue gives no identity: the
 * request goes on to the next mechanism (OIDC, when on) or stays anonymous, and anonymous calls get 401.
 */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<PlatformTokenRequest> {

    private final byte[] adminToken;
    private final Map<String, String> roleByHash = new HashMap<>();
    private final List<TokenDirectory> directories;

    public TokenIdentityProvider(AccessConfig config, @All List<TokenDirectory> directories) {
        this.adminToken = config.adminToken().getBytes(StandardCharsets.UTF_8);
        this.directories = directories;
        for (String entry : config.tokens().orElse(List.of())) {
            int colon = entry.indexOf(':');
            String role = colon < 0 ? "" : entry.substring(0, colon).strip();
            String hash = colon < 0 ? "" : entry.substring(colon + 1).strip().toLowerCase();
            if (!Roles.ISSUED.contains(role) || !hash.matches("[0-9a-f]{64}")) {
                throw new ConfigurationException("esrp.access.tokens: each entry is <role>:<sha256 hex of the token>, the role one of "
                        + Roles.ISSUED + "; got '" + entry + "'");
            }
            roleByHash.put(hash, role);
        }
    }

    @Override
    public Class<PlatformTokenRequest> getRequestType() {
        return PlatformTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(PlatformTokenRequest request, AuthenticationRequestContext context) {
        String token = request.token();
        if (MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), adminToken)) {
            return Uni.createFrom().item(identity(Roles.ADMIN, Roles.ADMIN).build());
        }
        String hash = Tokens.hash(token);
        String role = roleByHash.get(hash);
        if (role != null) {
            return Uni.createFrom().item(identity(role + ":" + hash.substring(0, 12), role).build());
        }
        Uni<SecurityIdentity> found = Uni.createFrom().nullItem();
        for (TokenDirectory directory : directories) {
            found = found.onItem().ifNull().switchTo(() -> directory.identify(hash));
        }
        return found;
    }

    /** An identity of {@code role}, with the roles it implies; a directory may add attributes before building it. */
    public static QuarkusSecurityIdentity.Builder identity(String name, String role) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(name)).addRoles(Roles.implied(role));
    }
}
