package dev.latchkey.identity.rest;

import static dev.latchkey.identity.rest.Pages.BROWSER_COOKIE;

import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import dev.latchkey.common.auth.ClientScopes;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.client.TenantClient.OrganizationRole;
import dev.latchkey.identity.domain.AuthorizationRequest;
import dev.latchkey.identity.oauth.ResourceIndicators;
import dev.latchkey.identity.service.AuthorizationRequests;
import dev.latchkey.identity.service.AuthorizationSteps.Consent;
import dev.latchkey.identity.service.AuthorizationSteps.PickOrganization;
import dev.latchkey.identity.service.AuthorizationSteps;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;

/**
 * The consent page: which client (and, for a device, which host) asks for what, in the person's words; Allow
 * sends the browser back to the client with a code, Deny with access_denied.
 */
@Cancellable(false)
@Path("/v1/oauth")
@PageLanguage.Localized
@Tag(name = "Sign-in pages")
public class ConsentPages {

    private final AuthorizationRequests requests;
    private final AuthorizationSteps steps;
    private final Pages pages;
    private final PageFlow flow;
    private final Template consentPage;

    public ConsentPages(AuthorizationRequests requests, AuthorizationSteps steps, Pages pages, PageFlow flow,
            @Location("oauth/consent.html") Template consentPage) {
        this.requests = requests;
        this.steps = steps;
        this.pages = pages;
        this.flow = flow;
        this.consentPage = consentPage;
    }

    @GET
    @Path("/consent")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Consent page: which client (and host) asks, Allow or Deny")
    public Uni<Response> consentForm(@QueryParam("request") String requestId, @CookieParam(BROWSER_COOKIE) String browser,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return requests.load(requestId, browser)
                .flatMap(r -> steps.next(r).flatMap(step -> switch (step) {
                    case Consent consent -> Uni.createFrom().item(consentView(r, browser, consent));
                    case PickOrganization pick -> Uni.createFrom().item(flow.organizationView(r, browser,
                            pick.organizations()));
                    default -> flow.respond(r, step, List.of());
                }))
                .onFailure(ApiException.class).recoverWithUni(e -> pages.failurePage((ApiException) e, accept));
    }

    @POST
    @Path("/consent")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Allow or deny (form): back to the client with a code or access_denied")
    public Uni<Response> decide(@FormParam("request") String requestId, @FormParam("csrf") String token,
            @FormParam("decision") String decision, @CookieParam(BROWSER_COOKIE) String browser,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        if (!pages.csrfValid(browser, token)) {
            return Uni.createFrom().item(pages.csrfRefused(accept));
        }
        return requests.load(requestId, browser)
                .flatMap(r -> "allow".equals(decision) ? steps.allow(r) : steps.deny(r))
                .map(location -> Pages.found(location, List.of()))
                .onFailure(ApiException.class).recoverWithUni(e -> pages.failurePage((ApiException) e, accept));
    }

    private Response consentView(AuthorizationRequest r, String browser, Consent consent) {
        PageText text = pages.text();
        List<String> scopes = new ArrayList<>();
        for (String scope : r.scopes.split(" ")) {
            scopes.add(switch (scope) {
                case "openid" -> text.scopeOpenid();
                case "email" -> text.scopeEmail();
                case "profile" -> text.scopeProfile();
                case "offline_access" -> text.scopeOfflineAccess(pages.sessionHours());
                case ClientScopes.ACCOUNT -> text.scopeAccount();
                case ClientScopes.SESSIONS -> text.scopeSessions();
                case ClientScopes.ORGANIZATIONS_READ -> text.scopeOrganizationsRead();
                case ClientScopes.ORGANIZATIONS_WRITE -> text.scopeOrganizationsWrite();
                case ClientScopes.API_KEYS_WRITE -> text.scopeApiKeysWrite();
                default -> scope;
            });
        }
        // RFC 8707: the resource servers its tokens may be for, named as the client asked (exact URIs).
        ResourceIndicators.split(r.resources).forEach(resource -> scopes.add(text.scopeResource(resource)));
        OrganizationRole org = consent.organization();
        String body = pages.localized(consentPage.data("clientName", consent.client().name()).data("host", r.host)
                .data("email", consent.user().email).data("organization", org == null ? null : org.name())
                .data("scopes", scopes).data("request", r.id).data("csrf", pages.csrfToken(browser))).render();
        return pages.page(200, body, r.redirectUri, List.of());
    }
}
