package org.esrp.common.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * {@code Authorization: Bearer <token>} on every request. Pages that cannot set headers (an EventSource) may send the
 * same token as the {@value #COOKIE} cookie, but only on GET and HEAD: a cookie rides along on requests other sites
 * trigger, and reads change nothing.
 * <p>
 * It runs before the OIDC mechanism and asks with a request type of its own ({@link PlatformTokenRequest}), so that a
 * token this platform did not issue is left to the organisation's identity provider when OIDC is on, and ends as 401
 * when it is off.
 */
@ApplicationScoped
public class BearerTokenMechanism implements HttpAuthenticationMechanism {

    public static final String COOKIE = "esrp_token";
    private static final String SCHEME = "Bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String authorization = context.request().getHeader("Authorization");
        String token = null;
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length()) || authorization.strip().length() <= SCHEME.length()) {
                return Uni.createFrom().failure(new AuthenticationFailedException("not a bearer token"));
            }
            token = authorization.substring(SCHEME.length()).strip();
        } else if (context.request().method() == HttpMethod.GET || context.request().method() == HttpMethod.HEAD) {
            Cookie cookie = context.request().getCookie(COOKIE);
            token = cookie == null || cookie.getValue().isBlank() ? null : URLDecoder.decode(cookie.getValue(), StandardCharsets.UTF_8);
        }
        if (token == null) {
            return Uni.createFrom().nullItem();
        }
        // The identity manager fails a request no provider knew; not ours, so the next mechanism may know it.
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new PlatformTokenRequest(token), context))
                .onFailure(AuthenticationFailedException.class).recoverWithNull();
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"esrp\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(PlatformTokenRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }
}
