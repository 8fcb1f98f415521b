package dev.latchkey.identity.rest;

import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.latchkey.common.auth.BearerTokenAllowingPending;
import dev.latchkey.common.auth.Caller;
import dev.latchkey.common.auth.ClientScope;
import dev.latchkey.common.auth.ClientScopes;
import dev.latchkey.common.auth.KeyVerification;
import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorBody;
import dev.latchkey.identity.client.TenantClient;
import dev.latchkey.identity.rest.Views.OrganizationView;
import dev.latchkey.identity.rest.Views.UserView;
import dev.latchkey.identity.service.AccountService;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

@Cancellable(false)
@Path("/v1/me")
@Tag(name = "Sign-in")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    private final AccountService accounts;
    private final TenantClient tenants;

    public MeResource(AccountService accounts, TenantClient tenants) {
        this.accounts = accounts;
        this.tenants = tenants;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Me(@Schema(enumeration = { "user", "api_key" }) String kind, UserView user,
            OrganizationView organization, @Schema(enumeration = { "owner", "admin", "member" }) String role,
            @JsonProperty("session_id") String sessionId,
            @Schema(description = "true while the account awaits an operator's approval") Boolean pending,
            @JsonProperty("key_id") String keyId, String capability,
            @JsonProperty("resource_scope") KeyVerification.Scope resourceScope) {
    }

    @GET
    @BearerTokenAllowingPending
    @ClientScope(ClientScopes.ACCOUNT)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Who you are: the user, the active organization and your role in it",
            description = "Also answers accounts awaiting approval. For an API key (or a token exchanged from one): "
                    + "the key, its organization, capability and scope.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Me.class)))
    @APIResponse(responseCode = "401", description = "auth_required",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Me> me(@Context RoutingContext routing) {
        VerifiedToken caller = Caller.require(routing);
        if (caller.kind() == VerifiedToken.Kind.API_KEY) {
            return Uni.createFrom().item(new Me("api_key", null,
                    new OrganizationView(caller.tenantId(), null, null, caller.role().value(), false),
                    caller.role().value(), null, null, caller.keyId(), caller.capability().value(),
                    KeyVerification.Scope.of(caller.resourceScope())));
        }
        if (caller.kind() != VerifiedToken.Kind.USER) {
            throw ApiException.accessDenied("A service token has no 'me'");
        }
        UUID id = UUID.fromString(caller.userId());
        Uni<OrganizationView> organization = caller.tenantId() == null ? Uni.createFrom().nullItem()
                : tenants.membership(caller.tenantId(), caller.userId())
                        .map(m -> m.map(OrganizationView::of).orElse(null));
        return accounts.user(id).flatMap(user -> {
            if (user == null) {
                return Uni.createFrom().failure(ApiException.authRequired());
            }
            return organization.map(org -> new Me("user", UserView.of(user), org, org == null ? null : org.role(),
                    caller.sessionId(), user.pending() ? Boolean.TRUE : null, null, null, null));
        });
    }
}
