package dev.latchkey.identity.rest;

import static dev.latchkey.identity.rest.Pages.BROWSER_COOKIE;

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

import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.service.AuthorizationRequests;
import dev.latchkey.identity.service.AuthorizationSteps;
import dev.latchkey.identity.service.AuthorizationSteps.PickOrganization;
import io.smallrye.mutiny.Uni;

/** The organization picker: a person in several organizations chooses the one the client acts in. */
@Cancellable(false)
@Path("/v1/oauth")
@PageLanguage.Localized
@Tag(name = "Sign-in pages")
public class OrganizationPages {

    private final AuthorizationRequests requests;
    private final AuthorizationSteps steps;
    private final Pages pages;
    private final PageFlow flow;

    public OrganizationPages(AuthorizationRequests requests, AuthorizationSteps steps, Pages pages, PageFlow flow) {
        this.requests = requests;
        this.steps = steps;
        this.pages = pages;
        this.flow = flow;
    }

    @GET
    @Path("/organization")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Organization picker of an authorization request")
    public Uni<Response> organizationForm(@QueryParam("request") String requestId,
            @CookieParam(BROWSER_COOKIE) String browser, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return requests.load(requestId, browser)
                .flatMap(r -> steps.next(r).flatMap(step -> step instanceof PickOrganization pick
                        ? Uni.createFrom().item(flow.organizationView(r, browser, pick.organizations()))
                        : flow.respond(r, step, List.of())))
                .onFailure(ApiException.class).recoverWithUni(e -> pages.failurePage((ApiException) e, accept));
    }

    @POST
    @Path("/organization")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Choose the organization the client acts in (form)")
    public Uni<Response> chooseOrganization(@FormParam("request") String requestId, @FormParam("csrf") String token,
            @FormParam("organization_id") String organizationId, @CookieParam(BROWSER_COOKIE) String browser,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        if (!pages.csrfValid(browser, token)) {
            return Uni.createFrom().item(pages.csrfRefused(accept));
        }
        return requests.load(requestId, browser)
                .flatMap(r -> steps.chooseOrganization(r, organizationId)
                        .flatMap(x -> requests.load(r.id, browser))
                        .flatMap(loaded -> flow.continueFlow(loaded, List.of())))
                .onFailure(ApiException.class).recoverWithUni(e -> pages.failurePage((ApiException) e, accept));
    }
}
