package dev.latchkey.identity.service;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.latchkey.common.concurrent.Worker;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.config.OAuthConfig;
import dev.latchkey.identity.config.OAuthConfig.ExternalIssuer;
import dev.latchkey.identity.oauth.OAuthScopes;
import dev.latchkey.identity.service.ClientRegistry.Client;
import dev.latchkey.identity.service.SessionService.Tokens;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * RFC 8693 token exchange of an external ID token (Google, a Firebase-style issuer, any OpenID Connect provider)
 * for a Latchkey session, as Kisenon and SignStack do after their front end signed the person in elsewhere. The
 * token is verified by jose4j against the issuer's JWKS (fetched over HTTPS, cached, refetched on an unknown
 * {@code kid}): signature, exact issuer, one of the configured audiences, expiry, and {@code email_verified}.
 * The account is found or created by {@link ExternalAccounts}; gating applies.
 */
@ApplicationScoped
public class IdTokenExchange {

    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
    public static final String ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
    public static final String JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    /** Only peeks at {@code iss} to pick the issuer's verifier; nothing is trusted before verification. */
    private static final JwtConsumer PEEK = new JwtConsumerBuilder().setSkipAllValidators()
            .setDisableRequireSignature().setSkipSignatureVerification().build();

    private final Map<String, ExternalIssuer> byIssuer = new ConcurrentHashMap<>();
    private final Map<String, JwtConsumer> consumers = new ConcurrentHashMap<>();
    private final ExternalAccounts accounts;
    private final SessionService sessions;
    private final AuthorizationService authorizations;
    private final ObjectMapper mapper;

    public IdTokenExchange(OAuthConfig config, ExternalAccounts accounts, SessionService sessions,
            AuthorizationService authorizations, ObjectMapper mapper) {
        config.externalIssuers().values().forEach(i -> byIssuer.put(i.issuer(), i));
        this.accounts = accounts;
        this.sessions = sessions;
        this.authorizations = authorizations;
        this.mapper = mapper;
    }

    /** The verified claims of an external ID token; 400 invalid_grant with a precise code otherwise. */
    public Uni<JwtClaims> verify(String subjectToken) {
        if (subjectToken == null || subjectToken.length() > 16_384) {
            return Uni.createFrom().failure(OAuthProblem.invalidRequest("subject_token is required"));
        }
        String iss;
        try {
            iss = PEEK.processToClaims(subjectToken).getIssuer();
        } catch (InvalidJwtException | MalformedClaimException e) {
            return Uni.createFrom().failure(OAuthProblem.invalidGrant("invalid_token", "subject_token is not a JWT"));
        }
        ExternalIssuer issuer = iss == null ? null : byIssuer.get(iss);
        if (issuer == null) {
            return Uni.createFrom().failure(OAuthProblem.invalidGrant("untrusted_issuer",
                    "ID tokens of this issuer are not accepted"));
        }
        // A verification may fetch the issuer's keys: on a worker, never on the event loop.
        return Worker.call(() -> {
            try {
                JwtClaims claims = consumer(issuer).processToClaims(subjectToken);
                if (issuer.requireVerifiedEmail() && !Boolean.TRUE.equals(claims.getClaimValue("email_verified",
                        Boolean.class)) && !"true".equals(String.valueOf(claims.getClaimValue("email_verified")))) {
                    throw OAuthProblem.invalidGrant("email_not_verified", "The ID token's email address is not verified");
                }
                if (claims.getStringClaimValue("email") == null) {
                    throw OAuthProblem.invalidGrant("email_missing", "The ID token carries no email address");
                }
                return claims;
            } catch (InvalidJwtException e) {
                throw refusal(e);
            } catch (MalformedClaimException e) {
                throw OAuthProblem.invalidGrant("invalid_token", "The ID token's claims are malformed");
            }
        });
    }

    /** Verifies the ID token, signs the person in (found or created) and starts a session. */
    public Uni<Tokens> exchange(String subjectToken, String subjectTokenType, Client client, String userAgent,
            String address) {
        if (subjectTokenType != null && !ID_TOKEN_TYPE.equals(subjectTokenType) && !JWT_TOKEN_TYPE.equals(subjectTokenType)) {
            return Uni.createFrom().failure(OAuthProblem.invalidRequest("subject_token_type must be " + ID_TOKEN_TYPE));
        }
        return verify(subjectToken).flatMap(claims -> {
            String issuer;
            String subject;
            String email;
            String name;
            try {
                issuer = claims.getIssuer();
                subject = claims.getSubject();
                email = claims.getStringClaimValue("email");
                name = claims.getClaimValue("name") instanceof String n ? n : null;
            } catch (MalformedClaimException e) {
                return Uni.createFrom().<Tokens>failure(OAuthProblem.invalidGrant("invalid_token",
                        "The ID token's claims are malformed"));
            }
            boolean verified = "true".equals(String.valueOf(claims.getClaimValue("email_verified")));
            return accounts.signIn(issuer, subject, email, verified, name)
                    .onFailure(ApiException.class).transform(e -> OAuthProblem.of((ApiException) e, "access_denied"))
                    .flatMap(user -> sessions.activeOrganization(user, null)
                            .flatMap(org -> sessions.start(user, org, userAgent, address)))
                    .call(tokens -> client == null ? Uni.createFrom().voidItem()
                            // A first-party session, as a password sign-in's: only the binding is the client's.
                            : authorizations.bind(tokens.session().id, client.id(), List.of(OAuthScopes.OPENID,
                                    OAuthScopes.EMAIL, OAuthScopes.PROFILE, OAuthScopes.FIRST_PARTY)));
        });
    }

    private JwtConsumer consumer(ExternalIssuer issuer) {
        return consumers.computeIfAbsent(issuer.issuer(), iss -> {
            String jwksUri = issuer.jwksUri().orElseGet(() -> discoverJwks(iss));
            HttpsJwks jwks = new HttpsJwks(jwksUri);
            return new JwtConsumerBuilder()
                    .setRequireExpirationTime()
                    .setRequireIssuedAt()
                    .setRequireSubject()
                    .setAllowedClockSkewInSeconds((int) issuer.clockSkew().toSeconds())
                    .setExpectedIssuer(iss)
                    .setExpectedAudience(issuer.audiences().toArray(String[]::new))
                    .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(jwks))
                    .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                            AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                    .build();
        });
    }

    private String discoverJwks(String issuer) {
        try (var client = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5)).build()) {
            var response = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration"))
                    .timeout(java.time.Duration.ofSeconds(5)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            JsonNode doc = mapper.readTree(response.body());
            if (response.statusCode() != 200 || !doc.hasNonNull("jwks_uri")) {
                throw new IllegalStateException("no jwks_uri (HTTP " + response.statusCode() + ")");
            }
            return doc.get("jwks_uri").asText();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Log.warnf("discovery of external issuer %s failed: %s", issuer, e.toString());
            throw ApiException.unavailable("The issuer's keys cannot be read right now", e.toString(), e);
        }
    }

    private static OAuthProblem refusal(InvalidJwtException e) {
        if (e.hasExpired()) {
            return OAuthProblem.invalidGrant("token_expired", "The ID token has expired");
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return OAuthProblem.invalidGrant("wrong_audience", "The ID token was not issued for this application");
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID)) {
            return OAuthProblem.invalidGrant("untrusted_issuer", "ID tokens of this issuer are not accepted");
        }
        Log.debugf("external ID token refused: %s", e.getMessage());
        return OAuthProblem.invalidGrant("invalid_token", "The ID token is not valid");
    }
}
