package org.esrp.generation;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * An OpenID provider over real HTTP, as far as a service that checks bearer tokens uses one: discovery and the signing
 * keys (JWKS). Tests sign tokens with {@link #token}; the provider's own key unless they ask for a stranger's.
 */
public class IdentityProviderResource implements QuarkusTestResourceLifecycleManager {

    static final String AUDIENCE = "esrp";
    private static RsaJsonWebKey key;
    private static String issuer;
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            key = newKey("provider-key");
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/esrp";
            String discovery = "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/keys\",\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
            String keys = new JsonWebKeySet(key).toJson();
            serve("/realms/esrp/.well-known/openid-configuration", discovery);
            serve("/realms/esrp/keys", keys);
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "quarkus.oidc.tenant-enabled", "true",
                "quarkus.oidc.auth-server-url", issuer,
                "quarkus.oidc.token.audience", AUDIENCE,
                "quarkus.oidc.roles.role-claim-path", "groups",
                "esrp.access.oidc-roles", "esrp-researchers:researcher,/ops/admins:admin");
    }

    private void serve(String path, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        server.createContext(path, exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** The provider's signing key. */
    static RsaJsonWebKey key() {
        return key;
    }

    /** A token the provider signed for {@code subject} in {@code groups}, valid for five minutes. */
    static String token(String subject, List<String> groups) {
        return sign(key, claims(subject, groups));
    }

    static JwtClaims claims(String subject, List<String> groups) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(AUDIENCE);
        claims.setSubject(subject);
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);
        claims.setStringListClaim("groups", groups);
        return claims;
    }

    static String sign(RsaJsonWebKey signer, JwtClaims claims) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(signer.getPrivateKey());
            jws.setKeyIdHeaderValue(signer.getKeyId());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    static RsaJsonWebKey newKey(String id) {
        try {
            RsaJsonWebKey generated = RsaJwkGenerator.generateJwk(2048);
            generated.setKeyId(id);
            generated.setUse("sig");
            generated.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            return generated;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
