package dev.latchkey.identity.rest;

import static dev.latchkey.identity.rest.Pages.BROWSER_COOKIE;
import static dev.latchkey.identity.rest.Pages.SESSION_COOKIE;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorBody;
import dev.latchkey.identity.domain.AuthorizationRequest;
import dev.latchkey.identity.oauth.Prompt;
import dev.latchkey.identity.service.AuthorizationRequests;
import dev.latchkey.identity.service.AuthorizationRequests.RedirectBack;
import dev.latchkey.identity.service.AuthorizationRequests.Refused;
import dev.latchkey.identity.service.AuthorizationRequests.Started;
import dev.latchkey.identity.service.BrowserSessions;
import dev.latchkey.identity.service.LoginService;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The authorization endpoint and the password sign-in page it leads to. A browser already signed in on the pages
 * ({@code lk_session}) goes straight on; {@code prompt=login} (or a sign-in older than {@code max_age}) asks again,
 * {@code prompt=none} never asks (OpenID Connect Core §3.1.2.6: login_required, consent_required or
 * interaction_required go back to the client instead). The state of a request lives in PostgreSQL, so any replica
 * serves any step.
 */
@Cancellable(false)
@Path("/v1/oauth")
@PageLanguage.Localized
@Tag(name = "Sign-in pages")
public class AuthorizePages {

    /** RFC 8707: the one parameter that may be sent several times (one per resource server). */
    private static final String RESOURCE = "resource";

    private final AuthorizationRequests requests;
    private final BrowserSessions browsers;
    private final LoginService logins;
    private final Pages pages;
    private final PageFlow flow;

    public AuthorizePages(AuthorizationRequests requests, BrowserSessions browsers, LoginService logins, Pages pages,
            PageFlow flow) {
        this.requests = requests;
        this.browsers = browsers;
        this.logins = logins;
        this.pages = pages;
        this.flow = flow;
    }

    @GET
    @Path("/authorize")
    @Produces({ MediaType.TEXT_HTML, MediaType.APPLICATION_JSON })
    @Operation(summary = "OAuth 2.1 authorization endpoint (code flow, PKCE S256 required)",
            description = "response_type=code, client_id, redirect_uri (exact; native clients any port on "
                    + "http://127.0.0.1 or http://[::1]), scope (openid profile email offline_access, and account sessions "
                    + "organizations:read organizations:write api_keys:write to reach Latchkey's own API), state, nonce, "
                    + "code_challenge + code_challenge_method=S256, optional host (shown on the consent page), "
                    + "prompt (none, login), max_age and resource (RFC 8707, repeatable: absolute URIs registered for "
                    + "the client). Leads through the sign-in pages and back to redirect_uri with code, state and iss, "
                    + "or with error (prompt=none: login_required, consent_required, interaction_required; "
                    + "invalid_target). An unknown client or unregistered redirect_uri is answered here (400), "
                    + "never redirected.")
    @APIResponse(responseCode = "302", description = "Back to the client (code or error), or on to a page")
    @APIResponse(responseCode = "400", description = "invalid_client, invalid_redirect_uri (not redirected): a page for "
            + "browsers, the JSON error body for other clients", content = { @Content(mediaType = MediaType.TEXT_HTML),
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)) })
    public Uni<Response> authorize(@Context UriInfo uri, @CookieParam(BROWSER_COOKIE) String browser,
            @CookieParam(SESSION_COOKIE) String session, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        Map<String, String> params = new HashMap<>();
        List<String> resources = new ArrayList<>();
        uri.getQueryParameters().forEach((name, values) -> {
            if (RESOURCE.equals(name)) {
                resources.addAll(values);
                return;
            }
            params.put(name, values.get(0));
            if (values.size() > 1) {
                params.put("\0repeated", name);
            }
        });
        Pages.Browser binding = pages.browser(browser);
        return requests.begin(params, resources, binding.value()).flatMap(begin -> switch (begin) {
            case Refused refused -> {
                if (!Pages.html(accept)) {
                    yield Uni.createFrom().failure(new ApiException(400, refused.code(), refused.message()));
                }
                yield Uni.createFrom().item(pages.message(accept, 400, pages.text().invalidLinkTitle(),
                        refused.message(), refused.code(), null, "error"));
            }
            case RedirectBack back -> Uni.createFrom().item(Pages.found(back.location(), binding.cookies()));
            case Started started -> started(accept, started.request(), Prompt.of(params.get("prompt"),
                    params.get("max_age")), session, binding);
        }).onFailure(ApiException.class).recoverWithUni(e -> pages.failurePage((ApiException) e, accept));
    }

    /**
     * A request the client checks passed: {@code prompt} and {@code max_age} decide whether a signed-in browser is
     * asked again; with {@code prompt=none} no page is shown, whatever would need one goes back to the client.
     */
    private Uni<Response> started(String accept, AuthorizationRequest r, Prompt prompt, String session,
            Pages.Browser binding) {
        Uni<BrowserSessions.SignedIn> signedIn = prompt.login() ? Uni.createFrom().nullItem() : browsers.current(session);
        List<NewCookie> cookies = binding.cookies();
        return signedIn.flatMap(current -> {
            BrowserSessions.SignedIn who = current == null
                    || prompt.tooOld(current.session().createdAt.toInstant(), Instant.now()) ? null : current;
            if (prompt.none()) {
                return flow.silently(r, who, binding.value(), cookies);
            }
            return flow.proceed(accept, r, who, binding.value(), cookies);
        });
    }

    @GET
    @Path("/sign-in")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Sign-in page of an authorization request")
    public Uni<Response> signInForm(@QueryParam("request") String requestId, @CookieParam(BROWSER_COOKIE) String browser,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return requests.load(requestId, browser)
                .flatMap(r -> flow.signInView(accept, r, browser, 200, null, null, null, null))
                .onFailure(ApiException.class).recoverWithUni(e -> pages.failurePage((ApiException) e, accept));
    }

    @POST
    @Path("/sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Sign in with email and password (form)",
            description = "The rules of POST /v1/auth/login: same errors, same brute-force limits.")
    public Uni<Response> signIn(@FormParam("request") String requestId, @FormParam("csrf") String token,
            @FormParam("email") String email, @FormParam("password") String password,
            @CookieParam(BROWSER_COOKIE) String browser, @HeaderParam(HttpHeaders.USER_AGENT) String userAgent,
            @Context RoutingContext routing, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        if (!pages.csrfValid(browser, token)) {
            return Uni.createFrom().item(pages.csrfRefused(accept));
        }
        return requests.load(requestId, browser).flatMap(r -> logins.login(email, password, userAgent,
                pages.address(routing))
                .flatMap(tokens -> flow.signedInAs(accept, r, browser, tokens.user(), tokens.session().id,
                        tokens.session().createdAt))
                .onFailure(ApiException.class).recoverWithUni(e -> {
                    ApiException refusal = (ApiException) e;
                    if (refusal.status() >= 500) {
                        return Uni.createFrom().failure(refusal);
                    }
                    return flow.signInView(accept, r, browser, refusal.status(), pages.describe(refusal),
                            refusal.code(), email, refusal.headers());
                }))
                .onFailure(ApiException.class).recoverWithUni(e -> pages.failurePage((ApiException) e, accept));
    }
}
