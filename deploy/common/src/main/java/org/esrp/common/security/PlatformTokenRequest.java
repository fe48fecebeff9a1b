package org.esrp.common.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * A bearer token to be checked against the tokens this platform issued. A type of its own, not
 * {@code TokenAuthenticationRequest}, because the OIDC identity provider claims that type and would try to verify
 * platform tokens as JWTs.
 */
public final class PlatformTokenRequest extends BaseAuthenticationRequest {

    private final String token;

    public PlatformTokenRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
