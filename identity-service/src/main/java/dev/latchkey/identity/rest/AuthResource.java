package dev.latchkey.identity.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseHeader;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.server.Cancellable;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.latchkey.common.auth.BearerToken;
import dev.latchkey.common.auth.Caller;
import dev.latchkey.common.auth.ClientScope;
import dev.latchkey.common.auth.ClientScopes;
import dev.latchkey.common.auth.NotForClients;
import dev.latchkey.common.auth.TokenVerifier;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorBody;
import dev.latchkey.identity.rest.Views.TokensView;
import dev.latchkey.identity.rest.Views.UserView;
import dev.latchkey.identity.service.AccountService;
import dev.latchkey.identity.service.LoginService;
import dev.latchkey.identity.service.OrganizationSwitch;
import dev.latchkey.identity.service.PasswordResets;
import dev.latchkey.identity.service.SessionService;
import dev.latchkey.identity.service.SignUps;
import dev.latchkey.identity.service.TokenExchangeService;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/** People signing in: accounts, passwords, sessions with rotating refresh tokens, switching organization. */
@Cancellable(false)
@Path("/v1/auth")
@Tag(name = "Sign-in")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "400", description = "validation_failed, malformed_json",
        content = @Content(schema = @Schema(implementation = ErrorBody.class)))
public class AuthResource {

    private final AccountService accounts;
    private final SignUps signUps;
    private final OrganizationSwitch switches;
    private final ClientAddress clientAddress;
    private final PasswordResets resets;
    private final LoginService logins;
    private final SessionService sessions;
    private final TokenVerifier verifier;
    private final TokenExchangeService exchange;
    private final com.fasterxml.jackson.databind.ObjectMapper mapper;

    public AuthResource(AccountService accounts, SignUps signUps, OrganizationSwitch switches, LoginService logins,
            SessionService sessions, TokenVerifier verifier, TokenExchangeService exchange, ClientAddress clientAddress,
            com.fasterxml.jackson.databind.ObjectMapper mapper, PasswordResets resets) {
        this.resets = resets;
        this.switches = switches;
        this.clientAddress = clientAddress;
        this.signUps = signUps;
        this.mapper = mapper;
        this.exchange = exchange;
        this.accounts = accounts;
        this.logins = logins;
        this.sessions = sessions;
        this.verifier = verifier;
    }

    public record Register(@NotBlank @Size(max = 254) String email, @NotNull @Size(max = 1024) String password,
            @Size(max = 100) String name) {
        @Override
        public String toString() {
            return "Register[]";
        }
    }

    public record Login(@NotBlank @Size(max = 254) String email, @NotNull @Size(max = 1024) String password) {
        @Override
        public String toString() {
            return "Login[]";
        }
    }

    public record Refresh(@JsonProperty("refresh_token") @NotBlank @Size(max = 128) String refreshToken) {
        @Override
        public String toString() {
            return "Refresh[]";
        }
    }

    public record Logout(@JsonProperty("refresh_token") @Size(max = 128) String refreshToken) {
        @Override
        public String toString() {
            return "Logout[]";
        }
    }

    public record VerifyEmail(@NotBlank @Size(max = 128) String token) {
        @Override
        public String toString() {
            return "VerifyEmail[]";
        }
    }

    public record ChangePassword(@JsonProperty("current_password") @NotNull @Size(max = 1024) String currentPassword,
            @JsonProperty("new_password") @NotNull @Size(max = 1024) String newPassword) {
        @Override
        public String toString() {
            return "ChangePassword[]";
        }
    }

    public record ResetRequest(@NotBlank @Size(max = 254) String email) {
    }

    public record ResetConfirm(@NotBlank @Size(max = 128) String token,
            @JsonProperty("new_password") @NotNull @Size(max = 1024) String newPassword) {
        @Override
        public String toString() {
            return "ResetConfirm[]";
        }
    }

    public record SwitchOrganization(@JsonProperty("organization_id") @NotBlank @Size(max = 64) String organizationId) {
    }

    public record Ended(int ended) {
    }

    @POST
    @Path("/token")
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    @Tag(name = "Tokens")
    @Operation(summary = "Exchange an API key for an access token",
            description = "Returns an ES256 JWT carrying the key's tenant and scopes, valid for 15 minutes by default, "
                    + "and never past the key's expiry minus the verifiers' clock skew: a key expiring sooner than that "
                    + "is api_key_expired.")
    @APIResponse(responseCode = "200", description = "Token issued",
            content = @Content(schema = @Schema(implementation = TokenResource.TokenResponse.class)))
    @APIResponse(responseCode = "400", description = "validation_failed, malformed_json",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "401", description = "invalid_api_key, api_key_revoked, api_key_expired",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "503", description = "dependency_unavailable",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<TokenResource.TokenResponse> exchangeApiKey(@Valid @NotNull TokenResource.ApiKeyExchange body) {
        return exchange.exchangeApiKey(body.apiKey()).map(TokenResource.TokenResponse::of);
    }

    @POST
    @Path("/register")
    @ResponseStatus(201)
    @Operation(summary = "Create a password account",
            description = "The address is normalised and unique; a personal organization is created for the user. "
                    + "A verification link is mailed. Password: at least 12 characters, not a common or breached one. "
                    + "An address that already has an account gets the same answer (a user that is never stored, "
                    + "with an id of its own), nothing is created or changed, and the owner is mailed a notice with a "
                    + "password-reset link: the answer does not tell which addresses have accounts.")
    @APIResponse(responseCode = "201", description = "The new user (or, for a taken address, its look-alike)",
            content = @Content(schema = @Schema(implementation = UserView.class)))
    @APIResponse(responseCode = "403", description = "email_not_allowed (access gating)",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<UserView> register(@Valid @NotNull Register body) {
        return signUps.register(body.email(), body.password(), body.name()).map(UserView::of);
    }

    @POST
    @Path("/login")
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    @Operation(summary = "Sign in with email and password",
            description = "Starts a session: a 15-minute access token acting in the user's organization and an opaque "
                    + "refresh token. A wrong password and an unknown address answer alike.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TokensView.class)))
    @APIResponse(responseCode = "401", description = "invalid_credentials",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "403", description = "email_not_allowed, account_disabled",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "429", description = "rate_limited (with Retry-After)",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "503", description = "dependency_unavailable, overloaded",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<TokensView> login(@Valid @NotNull Login body, @HeaderParam(HttpHeaders.USER_AGENT) String userAgent,
            @Context RoutingContext routing) {
        return logins.login(body.email(), body.password(), userAgent, clientAddress.of(routing)).map(TokensView::of);
    }

    @POST
    @Path("/refresh")
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    @Operation(summary = "Rotate the refresh token and get a fresh access token",
            description = "The user's role is read again. Presenting an already-rotated token ends the session."
                    + " A refresh token issued to an OAuth client is refused here (400 use_token_endpoint), its"
                    + " session untouched: the client refreshes it at POST /v1/oauth/token.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TokensView.class)))
    @APIResponse(responseCode = "400", description = "use_token_endpoint, validation_failed",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "401",
            description = "invalid_refresh_token, session_ended, session_expired, refresh_token_reused",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<TokensView> refresh(@Valid @NotNull Refresh body, @HeaderParam(HttpHeaders.USER_AGENT) String userAgent,
            @Context RoutingContext routing) {
        return sessions.refresh(body.refreshToken(), userAgent, clientAddress.of(routing)).map(TokensView::of);
    }

    @POST
    @Path("/logout")
    // A bare POST with only the Authorization header is the common case: no body, no Content-Type.
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.WILDCARD })
    @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = false,
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Logout.class)))
    @Operation(summary = "End the session",
            description = "With the access token (Authorization: Bearer) or the refresh token in the body. Every "
                    + "service refuses the session's access tokens from now on.")
    // Either credential ends the session: the bearer token, or the refresh token in the body (no header).
    @SecurityRequirementsSet(@SecurityRequirement(name = "bearer"))
    @SecurityRequirementsSet({})
    @APIResponse(responseCode = "204", description = "Ended")
    @APIResponse(responseCode = "401", description = "auth_required, invalid_refresh_token",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Response> logout(String raw, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Logout body = null;
        if (raw != null && !raw.isBlank()) {
            try {
                body = mapper.readValue(raw, Logout.class);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ApiException(400, "malformed_json", "The request body is not valid JSON");
            }
        }
        if (body != null && body.refreshToken() != null) {
            return sessions.logoutWithRefreshToken(body.refreshToken()).replaceWith(Response.noContent().build());
        }
        return Uni.createFrom().item(() -> TokenVerifier.bearer(authorization)).flatMap(verifier::verify)
                .flatMap(caller -> {
                    if (caller.sessionId() == null) {
                        return Uni.createFrom().failure(ApiException.accessDenied("Only a person's session can sign out"));
                    }
                    return sessions.end(java.util.List.of(java.util.UUID.fromString(caller.sessionId())), "logout");
                })
                .replaceWith(Response.noContent().build());
    }

    @POST
    @Path("/verify-email")
    @Operation(summary = "Confirm an email address with the token from the verification mail",
            description = "Single use. Invitations addressed to it are then honoured. Refresh to get a token with "
                    + "email_verified=true.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = UserView.class)))
    @APIResponse(responseCode = "410", description = "token_expired",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<UserView> verifyEmail(@Valid @NotNull VerifyEmail body) {
        return accounts.verifyEmail(body.token()).map(UserView::of);
    }

    @POST
    @Path("/verify-email/resend")
    @BearerToken
    @ClientScope(ClientScopes.ACCOUNT)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Mail a new verification link to the signed-in user")
    @APIResponse(responseCode = "202", description = "Queued")
    @APIResponse(responseCode = "409", description = "email_already_verified",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Response> resendVerification(@Context RoutingContext routing) {
        VerifiedToken caller = Caller.requireUser(routing);
        return accounts.resendVerification(caller.userId()).replaceWith(Response.accepted().build());
    }

    @POST
    @Path("/password")
    @BearerToken
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Change the password", description = "Every other session of the user ends.")
    @APIResponse(responseCode = "200", description = "How many other sessions ended",
            content = @Content(schema = @Schema(implementation = Ended.class)))
    @APIResponse(responseCode = "401", description = "auth_required, invalid_credentials (current password)",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Ended> changePassword(@Valid @NotNull ChangePassword body, @Context RoutingContext routing) {
        VerifiedToken caller = Caller.requireUser(routing);
        return accounts.changePassword(caller.userId(), caller.sessionId(), body.currentPassword(), body.newPassword())
                .map(Ended::new);
    }

    @POST
    @Path("/password-reset")
    @Operation(summary = "Mail a password-reset link",
            description = "Always 202, whether or not the address has an account. The link works once, for 15 minutes. "
                    + "At most 5 mails per address and 20 per client address an hour (429 rate_limited with "
                    + "Retry-After, also whether or not the address has an account).")
    @APIResponse(responseCode = "202", description = "Queued (if the account exists)")
    @APIResponse(responseCode = "429", description = "rate_limited",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Response> requestReset(@Valid @NotNull ResetRequest body, @Context RoutingContext routing) {
        return resets.requestReset(body.email(), clientAddress.of(routing)).replaceWith(Response.accepted().build());
    }

    @POST
    @Path("/password-reset/confirm")
    @Operation(summary = "Set a new password with the token from the reset mail",
            description = "Every session of the user ends; the address counts as verified.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Ended.class)))
    @APIResponse(responseCode = "410", description = "token_expired",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Ended> confirmReset(@Valid @NotNull ResetConfirm body) {
        return resets.confirmReset(body.token(), body.newPassword()).map(Ended::new);
    }

    @POST
    @Path("/switch-org")
    @BearerToken
    @NotForClients("The organization chosen at consent is part of an OAuth client's grant; to act in another"
            + " organization, the client asks for a new authorization")
    @SecurityRequirement(name = "bearer")
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    @Operation(summary = "Act in another of your organizations without signing in again",
            description = "Returns an access token for that organization with your role there. The session's refresh "
                    + "token stays valid and from now on refreshes into the new organization.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TokensView.class)))
    @APIResponse(responseCode = "404", description = "not_found: not one of your organizations",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<TokensView> switchOrganization(@Valid @NotNull SwitchOrganization body, @Context RoutingContext routing) {
        VerifiedToken caller = Caller.requireUser(routing);
        return switches.switchOrganization(caller.userId(), caller.sessionId(), body.organizationId())
                .map(TokensView::of);
    }

}
