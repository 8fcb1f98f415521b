package dev.latchkey.identity.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;

import dev.latchkey.identity.rest.AuthorizationCodeFlowTest.Client;
import dev.latchkey.identity.support.Browser;
import dev.latchkey.identity.support.FakeTenant;
import dev.latchkey.identity.support.MailServer;
import dev.latchkey.identity.support.People;
import dev.latchkey.identity.support.People.SignedIn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Another party's OAuth 2.0 / OpenID Connect client, not ours: Connect2id's Nimbus SDK reads the discovery
 * document, builds the authorization request (PKCE S256, state, nonce), parses the redirect, exchanges the code,
 * validates the ID token against the JWKS, calls userinfo, refreshes, introspects and revokes, all unchanged.
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class NimbusClientInteropTest {

    static final URI REDIRECT = URI.create("https://app.example.com/oauth/callback");

    @ConfigProperty(name = "latchkey.identity.public-url")
    String publicUrl;

    @BeforeEach
    void tenantService() {
        FakeTenant.install();
    }

    @Test
    void aStandardClientCompletesCodeWithPkceRefreshIntrospectionAndRevocation() throws Exception {
        OIDCProviderMetadata op = OIDCProviderMetadata.resolve(new Issuer(IdentityTokens.ISSUER));
        assertTrue(op.getCodeChallengeMethods().contains(CodeChallengeMethod.S256));
        assertTrue(op.getGrantTypes().contains(com.nimbusds.oauth2.sdk.GrantType.AUTHORIZATION_CODE));
        assertNotNull(op.getIntrospectionEndpointURI());
        assertNotNull(op.getRevocationEndpointURI());

        SignedIn ada = People.signedIn();
        Client web = Client.confidential();
        ClientID clientId = new ClientID(web.id());
        ClientSecretBasic auth = new ClientSecretBasic(clientId, new Secret(web.secret()));
        CodeVerifier verifier = new CodeVerifier();
        State state = new State();
        Nonce nonce = new Nonce();
        URI authorize = new AuthenticationRequest.Builder(new ResponseType("code"),
                new Scope("openid", "email", "profile", "offline_access"), clientId, REDIRECT)
                .endpointURI(op.getAuthorizationEndpointURI()).state(state).nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256).build().toURI();

        // The person's part: the pages.
        Browser browser = new Browser();
        Response page = browser.follow(browser.get(authorize.toString()), publicUrl);
        String html = page.body().asString();
        page = browser.follow(browser.post("/v1/oauth/sign-in", Map.of("request", Browser.field(html, "request"),
                "csrf", Browser.field(html, "csrf"), "email", ada.email(), "password", People.PASSWORD)), publicUrl);
        html = page.body().asString();
        String location = browser.post("/v1/oauth/consent", Map.of("request", Browser.field(html, "request"),
                "csrf", Browser.field(html, "csrf"), "decision", "allow")).header("Location");

        // The client's part, by the library.
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create(location));
        assertTrue(response.indicatesSuccess());
        assertEquals(state, response.getState());
        assertEquals(op.getIssuer(), response.toSuccessResponse().getIssuer());
        AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();
        TokenResponse tokens = OIDCTokenResponseParser.parse(new TokenRequest(op.getTokenEndpointURI(), auth,
                new AuthorizationCodeGrant(code, REDIRECT, verifier)).toHTTPRequest().send());
        assertTrue(tokens.indicatesSuccess(), () -> tokens.toErrorResponse().getErrorObject().toString());
        OIDCTokenResponse oidc = (OIDCTokenResponse) tokens.toSuccessResponse();
        IDTokenValidator validator = new IDTokenValidator(op.getIssuer(), clientId, JWSAlgorithm.ES256,
                op.getJWKSetURI().toURL());
        IDTokenClaimsSet id = validator.validate(oidc.getOIDCTokens().getIDToken(), nonce);
        assertEquals(ada.userId(), id.getSubject().getValue());
        assertEquals(ada.email(), id.getStringClaim("email"));
        // at_hash binds the access token issued beside the ID token (validated by the library when present).
        assertNotNull(id.getAccessTokenHash());

        UserInfoResponse info = UserInfoResponse.parse(new UserInfoRequest(op.getUserInfoEndpointURI(),
                oidc.getOIDCTokens().getBearerAccessToken()).toHTTPRequest().send());
        assertTrue(info.indicatesSuccess());
        assertEquals(ada.email(), info.toSuccessResponse().getUserInfo().getEmailAddress());

        RefreshToken refresh = oidc.getOIDCTokens().getRefreshToken();
        TokenResponse refreshed = OIDCTokenResponseParser.parse(new TokenRequest(op.getTokenEndpointURI(), auth,
                new RefreshTokenGrant(refresh)).toHTTPRequest().send());
        assertTrue(refreshed.indicatesSuccess());
        RefreshToken next = refreshed.toSuccessResponse().getTokens().getRefreshToken();
        assertNotEquals(refresh, next);

        TokenIntrospectionResponse introspected = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
                op.getIntrospectionEndpointURI(), auth, refreshed.toSuccessResponse().getTokens().getAccessToken())
                .toHTTPRequest().send());
        assertTrue(introspected.toSuccessResponse().isActive());
        assertEquals(ada.userId(), introspected.toSuccessResponse().getSubject().getValue());

        assertTrue(new TokenRevocationRequest(op.getRevocationEndpointURI(), auth, next).toHTTPRequest().send()
                .indicatesSuccess());
        TokenResponse afterRevocation = OIDCTokenResponseParser.parse(new TokenRequest(op.getTokenEndpointURI(), auth,
                new RefreshTokenGrant(next)).toHTTPRequest().send());
        assertEquals("invalid_grant", afterRevocation.toErrorResponse().getErrorObject().getCode());
        TokenIntrospectionResponse inactive = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
                op.getIntrospectionEndpointURI(), auth, refreshed.toSuccessResponse().getTokens().getAccessToken())
                .toHTTPRequest().send());
        assertTrue(!inactive.toSuccessResponse().isActive());
    }
}
