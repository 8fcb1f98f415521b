package dev.latchkey.identity.rest;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.latchkey.identity.client.TenantClient.OrganizationRole;
import dev.latchkey.identity.domain.Session;
import dev.latchkey.identity.domain.User;
import dev.latchkey.identity.service.SessionService.Tokens;

/** What identity's people-facing endpoints answer. */
final class Views {

    private Views() {
    }

    @Schema(name = "User")
    record UserView(String id, String email, String name, @JsonProperty("email_verified") boolean emailVerified,
            @Schema(enumeration = { "active", "pending", "disabled" }) String status,
            @JsonProperty("created_at") OffsetDateTime createdAt) {
        static UserView of(User user) {
            return new UserView(user.id.toString(), user.email, user.name, user.emailVerified(), user.status,
                    user.createdAt);
        }
    }

    @Schema(name = "ActiveOrganization")
    record OrganizationView(String id, String name, String slug,
            @Schema(enumeration = { "owner", "admin", "member" }) String role, boolean personal) {
        static OrganizationView of(OrganizationRole org) {
            return org == null ? null : new OrganizationView(org.organizationId(), org.name(), org.slug(), org.role(),
                    org.personal());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "SignedIn")
    record TokensView(@JsonProperty("access_token") String accessToken,
            @JsonProperty("token_type") String tokenType, @JsonProperty("expires_in") long expiresIn,
            @Schema(description = "Opaque; rotated at every refresh. Present after sign-in and refresh.")
            @JsonProperty("refresh_token") String refreshToken,
            @JsonProperty("session_id") String sessionId, UserView user, OrganizationView organization) {
        static TokensView of(Tokens tokens) {
            return new TokensView(tokens.accessToken(), "Bearer", tokens.expiresIn(), tokens.refreshToken(),
                    tokens.session().id.toString(), UserView.of(tokens.user()), OrganizationView.of(tokens.organization()));
        }

        @Override
        public String toString() {
            return "TokensView[session=" + sessionId + "]";
        }
    }

    @Schema(name = "Session")
    record SessionView(String id, @Schema(description = "The User-Agent it signed in with") String device,
            @Schema(description = "Client address at the last use") String address,
            @JsonProperty("organization_id") String organizationId,
            @JsonProperty("created_at") OffsetDateTime createdAt,
            @JsonProperty("last_used_at") OffsetDateTime lastUsedAt,
            @JsonProperty("expires_at") OffsetDateTime expiresAt,
            @Schema(description = "The session of the token making this request") boolean current) {
        static SessionView of(Session session, String currentSid) {
            return new SessionView(session.id.toString(), session.userAgent, session.clientAddress,
                    session.organizationId == null ? null : session.organizationId.toString(), session.createdAt,
                    session.lastUsedAt, session.expiresAt, session.id.toString().equals(currentSid));
        }
    }
}
