package dev.latchkey.identity.service;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;

import net.minidev.json.JSONArray;
import net.minidev.json.JSONObject;

import dev.latchkey.common.concurrent.Worker;
import dev.latchkey.common.crypto.Secrets;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.config.OAuthConfig;
import dev.latchkey.identity.config.OAuthConfig.Provider;
import dev.latchkey.identity.domain.AuthorizationRequest;
import dev.latchkey.identity.repository.AuthorizationRequestRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Sign-in through upstream providers: Google and any OpenID Connect provider (discovery, code flow with PKCE and
 * nonce, ID token validated against the provider's JWKS by Nimbus), and GitHub (OAuth 2.0, then its user API for
 * the verified primary address). Latchkey drives the redirects itself: the upstream state, PKCE verifier and nonce
 * are kept on the authorization request, so any replica can take the callback. Providers are configuration only.
 */
@ApplicationScoped
public class UpstreamProviders {

    /** What an upstream provider vouches for. {@code issuer} + {@code subject} identify the person there. */
    public record Profile(String issuer, String subject, String email, boolean emailVerified, String name) {
    }

    /** A button on the sign-in page. */
    public record Button(String id, String name) {
    }

    private static final int TIMEOUT_MILLIS = 5000;

    private final Map<String, Provider> providers;
    private final List<Button> buttons;
    private final AuthorizationRequestRepository requests;
    private final String publicUrl;
    private final Map<String, OIDCProviderMetadata> discovered = new ConcurrentHashMap<>();
    private final Map<String, IDTokenValidator> validators = new ConcurrentHashMap<>();

    public UpstreamProviders(OAuthConfig config, IdentityConfig identity, AuthorizationRequestRepository requests) {
        this.providers = config.providers();
        this.requests = requests;
        this.publicUrl = identity.publicUrl();
        List<Button> list = new ArrayList<>();
        providers.keySet().stream().sorted().forEach(id -> list.add(new Button(id, providers.get(id).name()
                .orElseGet(() -> defaultName(id, providers.get(id).type())))));
        this.buttons = List.copyOf(list);
    }

    /** The button's name when none is configured: the brand's own spelling for Google and GitHub, else the id. */
    static String defaultName(String id, String type) {
        return switch (type) {
            case "github" -> "GitHub";
            case "google" -> "Google";
            default -> id.substring(0, 1).toUpperCase(Locale.ROOT) + id.substring(1);
        };
    }

    public List<Button> buttons() {
        return buttons;
    }

    public boolean known(String id) {
        return id != null && providers.containsKey(id);
    }

    /** Where the provider sends the browser back: register this URL at the provider. */
    public String callback(String id) {
        return publicUrl + "/v1/oauth/upstream/" + id + "/callback";
    }

    /** The upstream authorization URL for this request; its state, verifier and nonce are stored on the request. */
    public Uni<String> start(String id, AuthorizationRequest r) {
        Provider provider = provider(id);
        String state = Secrets.randomBase62(43);
        CodeVerifier verifier = new CodeVerifier();
        String nonce = Secrets.randomBase62(32);
        Uni<String> url = github(provider) ? Uni.createFrom().item(githubAuthorizationUrl(id, provider, state, verifier))
                : metadata(id, provider).map(meta -> new AuthenticationRequest.Builder(new ResponseType("code"),
                        new Scope(scopes(provider).toArray(String[]::new)), new ClientID(provider.clientId()),
                        URI.create(callback(id)))
                        .endpointURI(meta.getAuthorizationEndpointURI())
                        .state(new State(state))
                        .nonce(new Nonce(nonce))
                        .codeChallenge(verifier, CodeChallengeMethod.S256)
                        .build().toURI().toString());
        return url.call(ignored -> remember(r.id, id, Secrets.sha256Hex(state), verifier.getValue(), nonce));
    }

    /** Stores on the request which provider it went to, and what the callback must match. */
    @WithTransaction
    Uni<Integer> remember(String requestId, String provider, String stateHash, String verifier, String nonce) {
        return requests.update("upstreamProvider = ?1, upstreamStateHash = ?2, upstreamVerifier = ?3,"
                + " upstreamNonce = ?4 where id = ?5", provider, stateHash, verifier, nonce, requestId);
    }

    /** The request an upstream callback's {@code state} belongs to, or null. */
    public Uni<AuthorizationRequest> requestFor(String state) {
        if (state == null || state.length() != 43) {
            return Uni.createFrom().nullItem();
        }
        return byStateHash(Secrets.sha256Hex(state));
    }

    @WithSession
    Uni<AuthorizationRequest> byStateHash(String stateHash) {
        return requests.find("upstreamStateHash", stateHash).firstResult();
    }

    /**
     * Exchanges the upstream code and returns who signed in; 400 upstream_refused when the provider refuses the code,
     * 502 upstream_failed when the provider misbehaves or cannot be reached.
     */
    public Uni<Profile> finish(String id, AuthorizationRequest r, String code) {
        Provider provider = provider(id);
        if (!id.equals(r.upstreamProvider) || code == null || code.isBlank()) {
            return Uni.createFrom().failure(failed("The sign-in with " + id + " did not complete", null));
        }
        if (github(provider)) {
            return Worker.call(() -> githubProfile(id, provider, code, r.upstreamVerifier));
        }
        return metadata(id, provider).flatMap(meta -> Worker.call(() -> oidcProfile(id, provider, meta, code,
                r.upstreamVerifier, r.upstreamNonce)));
    }

    private Profile oidcProfile(String id, Provider provider, OIDCProviderMetadata meta, String code, String verifier,
            String nonce) {
        try {
            TokenRequest request = new TokenRequest(meta.getTokenEndpointURI(),
                    new ClientSecretBasic(new ClientID(provider.clientId()), new Secret(provider.clientSecret())),
                    new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(callback(id)),
                            new CodeVerifier(verifier)));
            HTTPResponse http = send(request.toHTTPRequest());
            TokenResponse response = OIDCTokenResponseParser.parse(http);
            if (!response.indicatesSuccess()) {
                TokenErrorResponse error = response.toErrorResponse();
                throw refused(id, "token error " + error.getErrorObject());
            }
            OIDCTokenResponse tokens = (OIDCTokenResponse) response.toSuccessResponse();
            JWT idToken = tokens.getOIDCTokens().getIDToken();
            IDTokenClaimsSet claims = validator(id, provider, meta).validate(idToken, new Nonce(nonce));
            String email = claims.getStringClaim("email");
            Boolean verified = claims.getBooleanClaim("email_verified");
            String name = claims.getStringClaim("name");
            if (email == null && meta.getUserInfoEndpointURI() != null) {
                // Some providers put the address only behind the userinfo endpoint.
                UserInfoResponse info = UserInfoResponse.parse(send(new UserInfoRequest(meta.getUserInfoEndpointURI(),
                        tokens.getOIDCTokens().getBearerAccessToken()).toHTTPRequest()));
                if (info.indicatesSuccess()) {
                    var userInfo = info.toSuccessResponse().getUserInfo();
                    if (claims.getSubject().equals(userInfo.getSubject())) {
                        email = userInfo.getEmailAddress();
                        verified = userInfo.getEmailVerified();
                        name = name == null ? userInfo.getName() : name;
                    }
                }
            }
            return new Profile(claims.getIssuer().getValue(), claims.getSubject().getValue(), email,
                    Boolean.TRUE.equals(verified), name);
        } catch (ApiException e) {
            throw e;
        } catch (Exception e) {
            throw failed("The sign-in with " + id + " could not be completed", e.toString());
        }
    }

    /**
     * The provider's ID token validator: every asymmetric algorithm it announces (providers list several and sign
     * with any), its JWKS fetched once, cached and refetched on an unknown {@code kid} by Nimbus' JWKSource.
     */
    private IDTokenValidator validator(String id, Provider provider, OIDCProviderMetadata meta) {
        return validators.computeIfAbsent(id, key -> {
            try {
                java.util.Set<JWSAlgorithm> algs = new java.util.HashSet<>();
                if (meta.getIDTokenJWSAlgs() != null) {
                    meta.getIDTokenJWSAlgs().stream()
                            .filter(a -> JWSAlgorithm.Family.RSA.contains(a) || JWSAlgorithm.Family.EC.contains(a))
                            .forEach(algs::add);
                }
                if (algs.isEmpty()) {
                    algs.add(JWSAlgorithm.RS256);
                }
                var keys = com.nimbusds.jose.jwk.source.JWKSourceBuilder
                        .<com.nimbusds.jose.proc.SecurityContext>create(meta.getJWKSetURI().toURL()).build();
                return new IDTokenValidator(meta.getIssuer(), new ClientID(provider.clientId()),
                        new com.nimbusds.jose.proc.JWSVerificationKeySelector<>(algs, keys), null);
            } catch (java.net.MalformedURLException e) {
                throw failed("Sign-in with " + id + " is misconfigured", "jwks_uri " + e);
            }
        });
    }

    private String githubAuthorizationUrl(String id, Provider provider, String state, CodeVerifier verifier) {
        return new com.nimbusds.oauth2.sdk.AuthorizationRequest.Builder(new ResponseType("code"),
                new ClientID(provider.clientId()))
                .endpointURI(URI.create(provider.githubUrl() + "/login/oauth/authorize"))
                .redirectionURI(URI.create(callback(id)))
                .scope(new Scope(scopes(provider).toArray(String[]::new)))
                .state(new State(state))
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build().toURI().toString();
    }

    private Profile githubProfile(String id, Provider provider, String code, String verifier) {
        try {
            TokenRequest request = new TokenRequest(URI.create(provider.githubUrl() + "/login/oauth/access_token"),
                    new ClientSecretPost(new ClientID(provider.clientId()), new Secret(provider.clientSecret())),
                    new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(callback(id)),
                            new CodeVerifier(verifier)));
            HTTPRequest http = request.toHTTPRequest();
            // GitHub answers form-encoded unless asked for JSON, and answers a refused code with 200 and an error.
            http.setAccept("application/json");
            HTTPResponse answer = send(http);
            if (answer.getStatusCode() == 200 && answer.getBody() != null
                    && answer.getContentAsJSONObject().get("error") instanceof String error) {
                throw refused(id, "token error " + error);
            }
            TokenResponse response = TokenResponse.parse(answer);
            if (!response.indicatesSuccess()) {
                throw refused(id, "token error " + response.toErrorResponse().getErrorObject());
            }
            BearerAccessToken token = response.toSuccessResponse().getTokens().getBearerAccessToken();
            JSONObject user = get(provider.githubApiUrl() + "/user", token).getContentAsJSONObject();
            Object userId = user.get("id");
            if (userId == null) {
                throw failed("The sign-in with " + id + " could not be completed", "GitHub user without id");
            }
            String email = null;
            boolean verified = false;
            HTTPResponse emails = get(provider.githubApiUrl() + "/user/emails", token);
            if (emails.indicatesSuccess()) {
                JSONArray list = emails.getContentAsJSONArray();
                for (Object entry : list) {
                    if (entry instanceof Map<?, ?> e && Boolean.TRUE.equals(e.get("primary"))) {
                        email = (String) e.get("email");
                        verified = Boolean.TRUE.equals(e.get("verified"));
                    }
                }
            }
            String name = user.get("name") instanceof String n ? n : (String) user.get("login");
            return new Profile(provider.githubUrl(), userId.toString(), email, verified, name);
        } catch (ApiException e) {
            throw e;
        } catch (Exception e) {
            throw failed("The sign-in with " + id + " could not be completed", e.toString());
        }
    }

    private static HTTPResponse get(String url, BearerAccessToken token) throws IOException {
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, URI.create(url));
        request.setAuthorization(token.toAuthorizationHeader());
        request.setAccept("application/json");
        return send(request);
    }

    private static HTTPResponse send(HTTPRequest request) throws IOException {
        request.setConnectTimeout(TIMEOUT_MILLIS);
        request.setReadTimeout(TIMEOUT_MILLIS);
        return request.send();
    }

    /** The provider's discovery document, fetched once (on a worker) and kept. */
    private Uni<OIDCProviderMetadata> metadata(String id, Provider provider) {
        OIDCProviderMetadata known = discovered.get(id);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return Worker.call(() -> {
            try {
                OIDCProviderMetadata meta = OIDCProviderMetadata.resolve(new Issuer(issuer(provider)), TIMEOUT_MILLIS,
                        TIMEOUT_MILLIS);
                discovered.put(id, meta);
                return meta;
            } catch (IOException | com.nimbusds.oauth2.sdk.GeneralException e) {
                Log.warnf("discovery of upstream provider %s failed: %s", id, e.toString());
                throw failed("Sign-in with " + id + " is unavailable right now", e.toString());
            }
        });
    }

    private Provider provider(String id) {
        Provider provider = providers.get(id);
        if (provider == null) {
            throw ApiException.notFound("Provider");
        }
        return provider;
    }

    private static boolean github(Provider provider) {
        return "github".equals(provider.type());
    }

    private static String issuer(Provider provider) {
        return provider.issuer().orElse("google".equals(provider.type()) ? "https://accounts.google.com" : null);
    }

    private static List<String> scopes(Provider provider) {
        Optional<List<String>> configured = provider.scopes();
        if (configured.isPresent() && !configured.get().isEmpty()) {
            return configured.get();
        }
        return github(provider) ? List.of("read:user", "user:email") : List.of("openid", "email", "profile");
    }

    /**
     * The provider refused the code the browser brought back (forged, replayed, expired, or for another client):
     * the browser's request was bad, so 400 and a fresh start, not a 5xx; the provider's error stays in the log.
     */
    private static ApiException refused(String id, String internal) {
        return new ApiException(400, "upstream_refused", "The sign-in with " + id + " was refused; start again",
                internal, null);
    }

    private static ApiException failed(String message, String internal) {
        return new ApiException(502, "upstream_failed", message, internal, null);
    }
}
