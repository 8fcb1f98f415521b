package dev.latchkey.identity.rest;

import static dev.latchkey.identity.rest.Pages.BROWSER_COOKIE;

import java.util.List;

import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import dev.latchkey.common.crypto.Secrets;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.domain.AuthorizationRequest;
import dev.latchkey.identity.service.AuthorizationRequests;
import dev.latchkey.identity.service.ExternalAccounts;
import dev.latchkey.identity.service.SessionService;
import dev.latchkey.identity.service.UpstreamProviders;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Sign-in through an upstream provider (a button on the sign-in page): off to the provider with a state bound to
 * the request, and back at the callback, where the state must belong to a request of this very browser.
 */
@Cancellable(false)
@Path("/v1/oauth")
@PageLanguage.Localized
@Tag(name = "Sign-in pages")
public class UpstreamPages {

    private final UpstreamProviders upstream;
    private final ExternalAccounts external;
    private final SessionService sessions;
    private final AuthorizationRequests requests;
    private final Pages pages;
    private final PageFlow flow;

    public UpstreamPages(UpstreamProviders upstream, ExternalAccounts external, SessionService sessions,
            AuthorizationRequests requests, Pages pages, PageFlow flow) {
        this.upstream = upstream;
        this.external = external;
        this.sessions = sessions;
        this.requests = requests;
        this.pages = pages;
        this.flow = flow;
    }

    @GET
    @Path("/upstream/{provider}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Continue with an upstream provider (link on the sign-in page)")
    public Uni<Response> upstreamStart(@PathParam("provider") String provider, @QueryParam("request") String requestId,
            @QueryParam("csrf") String token, @CookieParam(BROWSER_COOKIE) String browser,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        if (!pages.csrfValid(browser, token)) {
            return Uni.createFrom().item(pages.csrfRefused(accept));
        }
        if (!upstream.known(provider)) {
            return Uni.createFrom().item(pages.message(accept, 404, pages.text().unknownProviderTitle(),
                    pages.text().unknownProviderText(), "not_found", null, "error"));
        }
        return requests.load(requestId, browser)
                .flatMap(r -> upstream.start(provider, r))
                .map(location -> pages.seeOther(location, List.of()))
                .onFailure(ApiException.class).recoverWithUni(e -> pages.failurePage((ApiException) e, accept));
    }

    @GET
    @Path("/upstream/{provider}/callback")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Where an upstream provider sends the browser back (register it at the provider)")
    public Uni<Response> upstreamCallback(@PathParam("provider") String provider, @QueryParam("state") String state,
            @QueryParam("code") String code, @QueryParam("error") String error,
            @CookieParam(BROWSER_COOKIE) String browser, @HeaderParam(HttpHeaders.USER_AGENT) String userAgent,
            @Context RoutingContext routing, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return upstream.requestFor(state).flatMap(found -> {
            if (found == null || !Pages.validBrowser(browser)
                    || !Secrets.constantTimeEquals(found.browserHash, Secrets.sha256Hex(browser))) {
                return Uni.createFrom().item(pages.message(accept, 400, pages.text().foreignUpstreamTitle(),
                        "The answer from the provider does not belong to a sign-in in this browser (wrong or missing "
                                + "state). Start again from the application.", "invalid_state", null, "error"));
            }
            return requests.load(found.id, browser).flatMap(r -> {
                if (error != null) {
                    return flow.signInView(accept, r, browser, 401,
                            pages.text().upstreamCancelled(provider), "upstream_refused", null, null);
                }
                return finish(provider, r, code, browser, userAgent, pages.address(routing), accept);
            });
        }).onFailure(ApiException.class).recoverWithUni(e -> pages.failurePage((ApiException) e, accept));
    }

    /** The provider's code for who signed in there, the Latchkey account it belongs to, a session for it. */
    private Uni<Response> finish(String provider, AuthorizationRequest r, String code, String browser,
            String userAgent, String address, String accept) {
        return upstream.finish(provider, r, code)
                .flatMap(profile -> external.signIn(profile.issuer(), profile.subject(), profile.email(),
                        profile.emailVerified(), profile.name()))
                .flatMap(user -> user.pending() ? Uni.createFrom().item(pages.pending(accept))
                        : sessions.activeOrganization(user, null)
                                .flatMap(org -> sessions.start(user, org, userAgent, address))
                                .flatMap(tokens -> flow.signedInAs(accept, r, browser, user, tokens.session().id,
                                        tokens.session().createdAt)))
                .onFailure(ApiException.class).recoverWithUni(e -> {
                    ApiException refusal = (ApiException) e;
                    if (refusal.status() >= 500) {
                        // The internal message says why (the provider's error, a network failure); no secret in it.
                        Log.warnf("sign-in through %s failed: %s", provider, refusal.getMessage());
                    } else if ("upstream_refused".equals(refusal.code())) {
                        Log.infof("sign-in through %s refused by the provider: %s", provider, refusal.getMessage());
                    }
                    return refusal.status() >= 500 && refusal.status() != 502 ? Uni.createFrom().failure(refusal)
                            : flow.signInView(accept, r, browser, refusal.status(), refusal.publicMessage(),
                                    refusal.code(), null, null);
                });
    }
}
