package dev.latchkey.identity.rest;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import dev.latchkey.common.crypto.Secrets;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorBody;
import dev.latchkey.common.error.RequestIds;
import dev.latchkey.identity.client.TenantClient.OrganizationRole;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.domain.AuthorizationRequest;
import dev.latchkey.identity.domain.User;
import dev.latchkey.identity.oauth.Csrf;
import dev.latchkey.identity.service.AuthorizationRequests;
import dev.latchkey.identity.service.AuthorizationRequests.RedirectBack;
import dev.latchkey.identity.service.AuthorizationRequests.Refused;
import dev.latchkey.identity.service.AuthorizationRequests.Started;
import dev.latchkey.identity.service.AuthorizationSteps;
import dev.latchkey.identity.service.AuthorizationSteps.Consent;
import dev.latchkey.identity.service.AuthorizationSteps.PickOrganization;
import dev.latchkey.identity.service.AuthorizationSteps.Redirect;
import dev.latchkey.identity.service.AuthorizationSteps.Step;
import dev.latchkey.identity.service.BrowserSessions;
import dev.latchkey.identity.service.ClientRegistry;
import dev.latchkey.identity.service.DeviceAuthorizations;
import dev.latchkey.identity.service.ExternalAccounts;
import dev.latchkey.identity.service.LoginService;
import dev.latchkey.identity.service.SessionService;
import dev.latchkey.identity.service.UpstreamProviders;
import io.quarkus.logging.Log;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The authorization endpoint and its pages: sign-in (password, or a configured upstream provider), organization
 * picker, consent. Server-rendered (Qute), no JavaScript. Every form carries a CSRF token bound to a browser
 * cookie ({@link Csrf}); every page is sent with a Content-Security-Policy that allows no script, no framing
 * ({@code frame-ancestors 'none'} and X-Frame-Options) and form targets only here and at the client's redirect
 * origin. Cookies are HttpOnly, SameSite=Lax, path {@code /v1/oauth}, and Secure when the public URL is https.
 * The state of a request lives in PostgreSQL, so any replica serves any step.
 */
@Cancellable(false)
@Path("/v1/oauth")
@Tag(name = "Sign-in pages")
public class SignInPages {

    static final String BROWSER_COOKIE = "lk_browser";
    static final String SESSION_COOKIE = "lk_session";
    private static final String HTML = "text/html;charset=UTF-8";
    private static final String CSS = load("identity/pages.css");

    @Inject
    @Location("oauth/sign-in.html")
    Template signInPage;
    @Inject
    @Location("oauth/organization.html")
    Template organizationPage;
    @Inject
    @Location("oauth/consent.html")
    Template consentPage;
    @Inject
    @Location("oauth/message.html")
    Template messagePage;
    @Inject
    @Location("oauth/device.html")
    Template devicePage;

    private final AuthorizationRequests authorizations;
    private final AuthorizationSteps steps;
    private final BrowserSessions browsers;
    private final LoginService logins;
    private final UpstreamProviders upstream;
    private final ExternalAccounts external;
    private final SessionService sessions;
    private final ClientRegistry clients;
    private final DeviceAuthorizations devices;
    private final Csrf csrf;
    private final boolean secure;
    private final String publicUrl;
    private final int sessionSeconds;

    public SignInPages(AuthorizationRequests authorizations, AuthorizationSteps steps, BrowserSessions browsers, LoginService logins,
            UpstreamProviders upstream, ExternalAccounts external, SessionService sessions, ClientRegistry clients,
            DeviceAuthorizations devices, IdentityConfig config) {
        this.devices = devices;
        this.authorizations = authorizations;
        this.steps = steps;
        this.browsers = browsers;
        this.logins = logins;
        this.upstream = upstream;
        this.external = external;
        this.sessions = sessions;
        this.clients = clients;
        // The CSRF key is derived from the KEK every replica shares: tokens check on any replica.
        this.csrf = new Csrf(Secrets.sha256(("latchkey-oauth-csrf\0" + config.kek()).getBytes(StandardCharsets.UTF_8)));
        this.publicUrl = config.publicUrl().replaceAll("/+$", "");
        this.secure = publicUrl.startsWith("https://");
        this.sessionSeconds = (int) config.sessions().lifetime().toSeconds();
    }

    // ---- the authorization endpoint ---------------------------------------------------------------------------

    @GET
    @Path("/authorize")
    @Produces({ MediaType.TEXT_HTML, MediaType.APPLICATION_JSON })
    @Operation(summary = "OAuth 2.1 authorization endpoint (code flow, PKCE S256 required)",
            description = "response_type=code, client_id, redirect_uri (exact; native clients any port on "
                    + "http://127.0.0.1 or http://[::1]), scope (openid profile email offline_access), state, nonce, "
                    + "code_challenge + code_challenge_method=S256, optional host (shown on the consent page) and "
                    + "prompt (none, login). Leads through the sign-in pages and back to redirect_uri with code, state "
                    + "and iss, or with error. An unknown client or unregistered redirect_uri is answered here (400), "
                    + "never redirected.")
    @APIResponse(responseCode = "302", description = "Back to the client (code or error), or on to a page")
    @APIResponse(responseCode = "400", description = "invalid_client, invalid_redirect_uri (not redirected): a page for "
            + "browsers, the JSON error body for other clients", content = { @Content(mediaType = MediaType.TEXT_HTML),
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)) })
    public Uni<Response> authorize(@Context UriInfo uri, @CookieParam(BROWSER_COOKIE) String browser,
            @CookieParam(SESSION_COOKIE) String session, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        Map<String, String> params = new HashMap<>();
        query.forEach((name, values) -> {
            params.put(name, values.get(0));
            if (values.size() > 1) {
                params.put("\0repeated", name);
            }
        });
        boolean fresh = !validBrowser(browser);
        String binding = fresh ? Csrf.newBrowserValue() : browser;
        List<NewCookie> cookies = fresh ? List.of(browserCookie(binding)) : List.of();
        return authorizations.begin(params, binding).flatMap(begin -> switch (begin) {
            case Refused refused -> {
                if (accept == null || !accept.contains("text/html")) {
                    yield Uni.createFrom().failure(new ApiException(400, refused.code(), refused.message()));
                }
                yield Uni.createFrom().item(message(accept, 400, "This sign-in link is not valid", refused.message(),
                        refused.code(), null, "error"));
            }
            case RedirectBack back -> Uni.createFrom().item(found(back.location(), cookies));
            case Started started -> {
                String prompt = params.get("prompt");
                boolean forceLogin = prompt != null && prompt.contains("login");
                Uni<BrowserSessions.SignedIn> signedIn = forceLogin ? Uni.createFrom().nullItem() : browsers.current(session);
                yield signedIn.flatMap(who -> {
                    AuthorizationRequest r = started.request();
                    if (who == null && prompt != null && prompt.contains("none")) {
                        return Uni.createFrom().item(found(authorizations.errorRedirect(r, "login_required",
                                "The person is not signed in"), cookies));
                    }
                    return proceed(accept, r, who, binding, cookies);
                });
            }
        }).onFailure(ApiException.class).recoverWithUni(e -> failurePage((ApiException) e, accept));
    }

    /** A request whose client checks passed: to the sign-in page, or on for a browser already signed in. */
    private Uni<Response> proceed(String accept, AuthorizationRequest r, BrowserSessions.SignedIn who, String browser,
            List<NewCookie> cookies) {
        if (who == null) {
            return Uni.createFrom().item(seeOther("/v1/oauth/sign-in?request=" + r.id, cookies));
        }
        if (who.user().pending()) {
            return Uni.createFrom().item(pending(accept));
        }
        return authorizations.signedIn(r.id, who.user().id, who.session().id, who.session().createdAt)
                .flatMap(x -> authorizations.load(r.id, browser))
                .flatMap(loaded -> continueFlow(loaded, cookies));
    }

    // ---- device authorization (RFC 8628) ----------------------------------------------------------------------

    @GET
    @Path("/device")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Page where a person enters a device's user code (RFC 8628 verification_uri)")
    public Response deviceForm(@QueryParam("user_code") String userCode, @CookieParam(BROWSER_COOKIE) String browser,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        boolean fresh = !validBrowser(browser);
        String binding = fresh ? Csrf.newBrowserValue() : browser;
        return deviceView(accept, binding, userCode, 200, null, fresh ? List.of(browserCookie(binding)) : List.of());
    }

    @POST
    @Path("/device")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Enter a user code (form): on to sign-in, organization and consent for that device")
    public Uni<Response> deviceEnter(@FormParam("csrf") String token, @FormParam("user_code") String userCode,
            @CookieParam(BROWSER_COOKIE) String browser, @CookieParam(SESSION_COOKIE) String session, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        if (!csrf.valid(browser, token)) {
            return Uni.createFrom().item(csrfRefused(accept));
        }
        return devices.byUserCode(userCode)
                .flatMap(device -> authorizations.beginDevice(device, browser))
                .flatMap(r -> browsers.current(session).flatMap(who -> proceed(accept, r, who, browser, List.of())))
                .onFailure(ApiException.class).recoverWithUni(e -> {
                    ApiException refusal = (ApiException) e;
                    if ("invalid_user_code".equals(refusal.code())) {
                        return Uni.createFrom().item(deviceView(accept, browser, userCode, 400, refusal.publicMessage(),
                                List.of()));
                    }
                    return failurePage(refusal, accept);
                });
    }

    @GET
    @Path("/device/done")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Where the pages of a device authorization end")
    public Response deviceDone(@QueryParam("error") String error, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        if (error == null) {
            return message(accept, 200, "Device connected", "You can return to your device; it is signed in now.", null,
                    null, "info");
        }
        return message(accept, 200, "Device not connected", "access_denied".equals(error)
                ? "You denied the request. The device was not given access."
                : "This code has expired. Start again on the device.", error, null, "error");
    }

    private Response deviceView(String accept, String browser, String userCode, int status, String error,
            List<NewCookie> cookies) {
        if (status >= 400 && !html(accept)) {
            return jsonError(status, "invalid_user_code", error, null);
        }
        String body = devicePage.data("csrf", csrf.token(browser)).data("userCode", userCode == null ? "" : userCode)
                .data("error", error).render();
        return page(status, body, null, cookies);
    }

    // ---- sign-in --------------------------------------------------------------------------------------------

    @GET
    @Path("/sign-in")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Sign-in page of an authorization request")
    public Uni<Response> signInForm(@QueryParam("request") String requestId, @CookieParam(BROWSER_COOKIE) String browser,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return authorizations.load(requestId, browser)
                .flatMap(r -> signInView(accept, r, browser, 200, null, null, null, null))
                .onFailure(ApiException.class).recoverWithUni(e -> failurePage((ApiException) e, accept));
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
        if (!csrf.valid(browser, token)) {
            return Uni.createFrom().item(csrfRefused(accept));
        }
        return authorizations.load(requestId, browser).flatMap(r -> logins.login(email, password, userAgent,
                AuthResource.address(routing))
                .flatMap(tokens -> signedInAs(accept, r, browser, tokens.user(), tokens.session().id, tokens.session().createdAt))
                .onFailure(ApiException.class).recoverWithUni(e -> {
                    ApiException refusal = (ApiException) e;
                    if (refusal.status() >= 500) {
                        return Uni.createFrom().failure(refusal);
                    }
                    return signInView(accept, r, browser, refusal.status(), refusal.publicMessage(), refusal.code(), email,
                            refusal.headers());
                }))
                .onFailure(ApiException.class).recoverWithUni(e -> failurePage((ApiException) e, accept));
    }

    /** A person proved who they are: the browser is signed in and the request goes on. */
    private Uni<Response> signedInAs(String accept, AuthorizationRequest r, String browser, User user, java.util.UUID sessionId,
            java.time.OffsetDateTime authTime) {
        if (user.pending()) {
            return Uni.createFrom().item(pending(accept));
        }
        return browsers.create(sessionId).flatMap(cookie -> authorizations.signedIn(r.id, user.id, sessionId, authTime)
                .flatMap(x -> authorizations.load(r.id, browser))
                .flatMap(loaded -> continueFlow(loaded, List.of(sessionCookie(cookie)))));
    }

    // ---- upstream providers ---------------------------------------------------------------------------------

    @GET
    @Path("/upstream/{provider}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Continue with an upstream provider (link on the sign-in page)")
    public Uni<Response> upstreamStart(@PathParam("provider") String provider, @QueryParam("request") String requestId,
            @QueryParam("csrf") String token, @CookieParam(BROWSER_COOKIE) String browser, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        if (!csrf.valid(browser, token)) {
            return Uni.createFrom().item(csrfRefused(accept));
        }
        if (!upstream.known(provider)) {
            return Uni.createFrom().item(message(accept, 404, "Unknown provider", "This sign-in provider is not configured.",
                    "not_found", null, "error"));
        }
        return authorizations.load(requestId, browser)
                .flatMap(r -> upstream.start(provider, r))
                .map(location -> seeOther(location, List.of()))
                .onFailure(ApiException.class).recoverWithUni(e -> failurePage((ApiException) e, accept));
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
            if (found == null || !validBrowser(browser)
                    || !Secrets.constantTimeEquals(found.browserHash, Secrets.sha256Hex(browser))) {
                return Uni.createFrom().item(message(accept, 400, "This sign-in did not start here",
                        "The answer from the provider does not belong to a sign-in in this browser (wrong or missing "
                                + "state). Start again from the application.", "invalid_state", null, "error"));
            }
            return authorizations.load(found.id, browser).flatMap(r -> {
                if (error != null) {
                    return signInView(accept, r, browser, 401, "The sign-in with " + provider + " was cancelled or refused.",
                            "upstream_refused", null, null);
                }
                return upstream.finish(provider, r, code)
                        .flatMap(profile -> external.signIn(profile.issuer(), profile.subject(), profile.email(),
                                profile.emailVerified(), profile.name()))
                        .flatMap(user -> user.pending() ? Uni.createFrom().item(pending(accept))
                                : sessions.activeOrganization(user, null)
                                        .flatMap(org -> sessions.start(user, org, userAgent, AuthResource.address(routing)))
                                        .flatMap(tokens -> signedInAs(accept, r, browser, user, tokens.session().id,
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
                                    : signInView(accept, r, browser, refusal.status(), refusal.publicMessage(), refusal.code(), null, null);
                        });
            });
        }).onFailure(ApiException.class).recoverWithUni(e -> failurePage((ApiException) e, accept));
    }

    // ---- organization and consent ---------------------------------------------------------------------------

    @GET
    @Path("/organization")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Organization picker of an authorization request")
    public Uni<Response> organizationForm(@QueryParam("request") String requestId,
            @CookieParam(BROWSER_COOKIE) String browser, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return authorizations.load(requestId, browser)
                .flatMap(r -> steps.next(r).flatMap(step -> step instanceof PickOrganization pick
                        ? Uni.createFrom().item(organizationView(r, browser, pick.organizations(), 200, null))
                        : respond(r, step, List.of())))
                .onFailure(ApiException.class).recoverWithUni(e -> failurePage((ApiException) e, accept));
    }

    @POST
    @Path("/organization")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Choose the organization the client acts in (form)")
    public Uni<Response> chooseOrganization(@FormParam("request") String requestId, @FormParam("csrf") String token,
            @FormParam("organization_id") String organizationId, @CookieParam(BROWSER_COOKIE) String browser,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        if (!csrf.valid(browser, token)) {
            return Uni.createFrom().item(csrfRefused(accept));
        }
        return authorizations.load(requestId, browser)
                .flatMap(r -> steps.chooseOrganization(r, organizationId)
                        .flatMap(x -> authorizations.load(r.id, browser))
                        .flatMap(loaded -> continueFlow(loaded, List.of())))
                .onFailure(ApiException.class).recoverWithUni(e -> failurePage((ApiException) e, accept));
    }

    @GET
    @Path("/consent")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Consent page: which client (and host) asks, Allow or Deny")
    public Uni<Response> consentForm(@QueryParam("request") String requestId, @CookieParam(BROWSER_COOKIE) String browser,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return authorizations.load(requestId, browser)
                .flatMap(r -> steps.next(r).flatMap(step -> respondWithPage(r, browser, step)))
                .onFailure(ApiException.class).recoverWithUni(e -> failurePage((ApiException) e, accept));
    }

    @POST
    @Path("/consent")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Allow or deny (form): back to the client with a code or access_denied")
    public Uni<Response> decide(@FormParam("request") String requestId, @FormParam("csrf") String token,
            @FormParam("decision") String decision, @CookieParam(BROWSER_COOKIE) String browser, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        if (!csrf.valid(browser, token)) {
            return Uni.createFrom().item(csrfRefused(accept));
        }
        return authorizations.load(requestId, browser)
                .flatMap(r -> "allow".equals(decision) ? steps.allow(r) : steps.deny(r))
                .map(location -> found(location, List.of()))
                .onFailure(ApiException.class).recoverWithUni(e -> failurePage((ApiException) e, accept));
    }

    @POST
    @Path("/sign-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Sign this browser out of the pages (its session ends)")
    public Uni<Response> signOut(@CookieParam(SESSION_COOKIE) String session) {
        return browsers.signOut(session).map(x -> page(200, messagePage.data("heading", "Signed out")
                .data("message", "You are signed out.").data("code", null).data("back", null).data("kind", "info")
                .render(), null, List.of(expired(SESSION_COOKIE))));
    }

    @GET
    @Path("/pages.css")
    @Produces("text/css")
    @Operation(hidden = true)
    public Response stylesheet() {
        return Response.ok(CSS, "text/css;charset=UTF-8").header("Cache-Control", "public, max-age=3600")
                .header("X-Content-Type-Options", "nosniff").build();
    }

    // ---- flow -----------------------------------------------------------------------------------------------

    private Uni<Response> continueFlow(AuthorizationRequest r, List<NewCookie> cookies) {
        return steps.next(r).flatMap(step -> respond(r, step, cookies));
    }

    private Uni<Response> respond(AuthorizationRequest r, Step step, List<NewCookie> cookies) {
        return Uni.createFrom().item(switch (step) {
            case PickOrganization pick -> seeOther("/v1/oauth/organization?request=" + r.id, cookies);
            case Consent consent -> seeOther("/v1/oauth/consent?request=" + r.id, cookies);
            case Redirect redirect -> found(redirect.location(), cookies);
        });
    }

    private Uni<Response> respondWithPage(AuthorizationRequest r, String browser, Step step) {
        if (step instanceof Consent consent) {
            List<String> scopes = new ArrayList<>();
            for (String scope : r.scopes.split(" ")) {
                scopes.add(switch (scope) {
                    case "openid" -> "know who you are";
                    case "email" -> "see your email address";
                    case "profile" -> "see your name";
                    case "offline_access" -> "stay signed in until you sign out (at most "
                            + sessionSeconds / 3600 + " hours)";
                    default -> scope;
                });
            }
            scopes.add("act with your role in the organization");
            OrganizationRole org = consent.organization();
            String body = consentPage.data("clientName", consent.client().name()).data("host", r.host)
                    .data("email", consent.user().email).data("organization", org == null ? null : org.name())
                    .data("scopes", scopes).data("request", r.id).data("csrf", csrf.token(browser)).render();
            return Uni.createFrom().item(page(200, body, r.redirectUri, List.of()));
        }
        if (step instanceof PickOrganization pick) {
            return Uni.createFrom().item(organizationView(r, browser, pick.organizations(), 200, null));
        }
        return respond(r, step, List.of());
    }

    private Uni<Response> signInView(String accept, AuthorizationRequest r, String browser, int status, String error,
            String code, String email, Map<String, String> headers) {
        if (status >= 400 && !html(accept)) {
            return Uni.createFrom().item(jsonError(status, code, error, headers));
        }
        return clients.find(r.clientId).map(client -> {
            List<Map<String, Object>> providers = upstream.buttons().stream()
                    .map(b -> Map.<String, Object>of("id", b.id(), "name", b.name())).toList();
            String body = signInPage.data("clientName", client.map(ClientRegistry.Client::name).orElse(r.clientId))
                    .data("error", error).data("email", email == null ? "" : email).data("request", r.id)
                    .data("csrf", csrf.token(browser)).data("providers", providers).render();
            Response.ResponseBuilder builder = pageBuilder(status, body, r.redirectUri, List.of());
            if (headers != null) {
                headers.forEach(builder::header);
            }
            return builder.build();
        });
    }

    private Response organizationView(AuthorizationRequest r, String browser, List<OrganizationRole> organizations,
            int status, String error) {
        List<Map<String, Object>> list = organizations.stream().map(o -> Map.<String, Object>of("organizationId",
                o.organizationId(), "name", o.name() == null ? o.organizationId() : o.name(), "slug",
                o.slug() == null ? o.organizationId() : o.slug(), "role", o.role() == null ? "member" : o.role(),
                "personal", o.personal())).toList();
        String body = organizationPage.data("clientName", r.clientId).data("organizations", list).data("error", error)
                .data("request", r.id).data("csrf", csrf.token(browser)).render();
        return page(status, body, r.redirectUri, List.of());
    }

    private Response pending(String accept) {
        return message(accept, 403, "Waiting for approval", "Your account is waiting for an operator's approval. You can "
                + "sign in again once it has been approved.", "alpha_pending", null, "info");
    }

    private Response csrfRefused(String accept) {
        return message(accept, 403, "This form has expired", "The form was not sent from this browser's sign-in page "
                + "(missing or wrong CSRF token). Start again from the application.", "csrf_failed", null, "error");
    }

    /** An HTML page for browsers, the project's JSON error body for anything else. */
    private Uni<Response> failurePage(ApiException e, String accept) {
        if (accept == null || !accept.contains("text/html")) {
            return Uni.createFrom().failure(e);
        }
        String heading = e.status() >= 500 ? "Something went wrong" : "This sign-in cannot continue";
        return Uni.createFrom().item(message(accept, e.status(), heading, e.publicMessage(), e.code(), null, "error"));
    }

    private Response message(String accept, int status, String heading, String text, String code, String back,
            String kind) {
        if (status >= 400 && !html(accept)) {
            return jsonError(status, code, text, null);
        }
        String body = messagePage.data("heading", heading).data("message", text).data("code", code).data("back", back)
                .data("kind", kind).render();
        return page(status, body, null, List.of());
    }

    /** A browser asked for this page; anything else (curl, a fuzzer, a misrouted API client) gets JSON errors. */
    private static boolean html(String accept) {
        return accept != null && accept.contains("text/html");
    }

    /** The project's JSON error body, for refusals answered to a client that did not ask for HTML. */
    private static Response jsonError(int status, String code, String message, Map<String, String> headers) {
        String requestId = RequestIds.fromHeader(null);
        Response.Status known = Response.Status.fromStatusCode(status);
        Response.ResponseBuilder builder = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .header(RequestIds.HEADER, requestId).header("Cache-Control", "no-store")
                .entity(new ErrorBody(known != null ? known.getReasonPhrase() : status == 429 ? "Too Many Requests" : "Error",
                        code == null ? "invalid_request" : code, message, requestId));
        if (headers != null) {
            headers.forEach(builder::header);
        }
        return builder.build();
    }

    // ---- HTTP -----------------------------------------------------------------------------------------------

    private Response page(int status, String body, String redirectUri, List<NewCookie> cookies) {
        return pageBuilder(status, body, redirectUri, cookies).build();
    }

    private Response.ResponseBuilder pageBuilder(int status, String body, String redirectUri, List<NewCookie> cookies) {
        Response.ResponseBuilder builder = Response.status(status).entity(body).type(HTML);
        security(builder, redirectUri);
        cookies.forEach(builder::cookie);
        return builder;
    }

    /**
     * Headers of every page. form-action lists the client's redirect origin because browsers apply it to the
     * redirect that follows a form post (Allow → redirect_uri).
     */
    private static void security(Response.ResponseBuilder builder, String redirectUri) {
        String formTargets = "'self'" + (redirectUri == null ? "" : " " + origin(redirectUri));
        builder.header("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                + "form-action " + formTargets + "; frame-ancestors 'none'; base-uri 'none'")
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store");
    }

    private Response seeOther(String location, List<NewCookie> cookies) {
        String absolute = location.startsWith("/") ? publicUrl + location : location;
        Response.ResponseBuilder builder = Response.status(303).location(URI.create(absolute));
        security(builder, null);
        cookies.forEach(builder::cookie);
        return builder.build();
    }

    /** Back to the client: 302, as RFC 6749 shows it. */
    private static Response found(String location, List<NewCookie> cookies) {
        Response.ResponseBuilder builder = Response.status(302).location(URI.create(location));
        security(builder, null);
        cookies.forEach(builder::cookie);
        return builder.build();
    }

    static String origin(String uri) {
        try {
            URI parsed = URI.create(uri);
            if (parsed.getScheme() == null) {
                return "";
            }
            if (parsed.getRawAuthority() == null) {
                return parsed.getScheme() + ":";
            }
            return parsed.getScheme() + "://" + parsed.getRawAuthority();
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private NewCookie browserCookie(String value) {
        return new NewCookie.Builder(BROWSER_COOKIE).value(value).path("/v1/oauth").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.LAX).build();
    }

    private NewCookie sessionCookie(String value) {
        return new NewCookie.Builder(SESSION_COOKIE).value(value).path("/v1/oauth").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.LAX).maxAge(sessionSeconds).build();
    }

    private NewCookie expired(String name) {
        return new NewCookie.Builder(name).value("").path("/v1/oauth").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.LAX).maxAge(0).build();
    }

    private static boolean validBrowser(String value) {
        return value != null && value.length() == 43 && value.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c));
    }

    private static String load(String resource) {
        try (var in = SignInPages.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalStateException(resource + " is missing", e);
        }
    }
}
