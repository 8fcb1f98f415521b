package dev.latchkey.identity.rest;

import static dev.latchkey.identity.rest.Pages.BROWSER_COOKIE;

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
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorCodes;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.domain.AuthorizationRequest;
import dev.latchkey.identity.password.EmailAddresses;
import dev.latchkey.identity.password.PasswordPolicy;
import dev.latchkey.identity.service.AuthorizationRequests;
import dev.latchkey.identity.service.ClientRegistry;
import dev.latchkey.identity.service.LoginLimiter;
import dev.latchkey.identity.service.PasswordService;
import dev.latchkey.identity.service.SignUps;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The sign-up page of an authorization request, linked from its sign-in page: name, address and password with the
 * policy shown. What {@code POST /v1/auth/register} does (gating, the policy, an address that already has an account
 * gets the same answer and its owner a mail), then a page that says where the link went. The verification link
 * carries the request on: confirmed in this browser, it signs the person in and continues to consent and back to
 * the application ({@link EmailLinkPages}).
 */
@Cancellable(false)
@Path("/v1/oauth")
@PageLanguage.Localized
@Tag(name = "Sign-in pages")
public class SignUpPages {

    private final AuthorizationRequests requests;
    private final ClientRegistry clients;
    private final SignUps signUps;
    private final LoginLimiter limiter;
    private final PasswordService passwords;
    private final Pages pages;
    private final int minLength;
    private final Template signUpPage;

    public SignUpPages(AuthorizationRequests requests, ClientRegistry clients, SignUps signUps, LoginLimiter limiter,
            PasswordService passwords, Pages pages, IdentityConfig config,
            @Location("oauth/sign-up.html") Template signUpPage) {
        this.passwords = passwords;
        this.requests = requests;
        this.clients = clients;
        this.signUps = signUps;
        this.limiter = limiter;
        this.pages = pages;
        this.minLength = config.passwords().minLength();
        this.signUpPage = signUpPage;
    }

    @GET
    @Path("/sign-up")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Sign-up page of an authorization request")
    public Uni<Response> signUpForm(@QueryParam("request") String requestId, @CookieParam(BROWSER_COOKIE) String browser,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return requests.load(requestId, browser)
                .flatMap(r -> view(accept, null, r, browser, 200, null, null, "", "", Map.of()))
                .onFailure(ApiException.class).recoverWithUni(e -> pages.failurePage((ApiException) e, accept));
    }

    @POST
    @Path("/sign-up")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Create an account (form)",
            description = "The rules of POST /v1/auth/register; at most 5 sign-ups per address and 20 per client "
                    + "address an hour (they send mail).")
    public Uni<Response> signUp(@FormParam("request") String requestId, @FormParam("csrf") String csrf,
            @FormParam("name") String name, @FormParam("email") String email, @FormParam("password") String password,
            @CookieParam(BROWSER_COOKIE) String browser, @HeaderParam(HttpHeaders.ACCEPT) String accept,
            @Context RoutingContext routing) {
        if (!pages.csrfValid(browser, csrf)) {
            return Uni.createFrom().item(pages.csrfRefused(accept));
        }
        PasswordPolicy.Refusal weak = passwords.check(password, EmailAddresses.normalise(email), name);
        if (weak != null) {
            // Said on the page, in its language; the service checks again.
            return requests.load(requestId, browser)
                    .flatMap(r -> view(accept, ErrorCodes.VALIDATION_FAILED, r, browser, 400, pages.describe(weak),
                            "password", name, email, Map.of()))
                    .onFailure(ApiException.class).recoverWithUni(e -> pages.failurePage((ApiException) e, accept));
        }
        return requests.load(requestId, browser).flatMap(r -> register(r, name, email, password, pages.address(routing))
                .flatMap(client -> Uni.createFrom().item(pages.message(accept, 200, pages.text().linkSentTitle(),
                        pages.text().signUpSentText(EmailAddresses.normalise(email), client), null, null, "info")))
                .onFailure(ApiException.class).recoverWithUni(e -> {
                    ApiException refusal = (ApiException) e;
                    if (refusal.status() >= 500) {
                        return Uni.createFrom().failure(refusal);
                    }
                    String field = ErrorCodes.VALIDATION_FAILED.equals(refusal.code())
                            && refusal.publicMessage().contains("'password'") ? "password" : "email";
                    return view(accept, refusal.code(), r, browser, refusal.status(),
                            pages.describe(refusal).replace("'password' ", ""), field, name, email, refusal.headers());
                }))
                .onFailure(ApiException.class).recoverWithUni(e -> pages.failurePage((ApiException) e, accept));
    }

    /** The account (or the look-alike answer), after the mail limit; the client's name for the page. */
    private Uni<String> register(AuthorizationRequest r, String name, String email, String password, String address) {
        String normalised = EmailAddresses.normalise(email);
        if (normalised == null) {
            return Uni.createFrom().failure(ApiException.validation("'email' is not a valid email address"));
        }
        return limiter.reserveMail(normalised, address)
                .flatMap(ignored -> Uni.createFrom().deferred(() -> signUps.register(email, password, name, r.id)))
                .flatMap(user -> clientName(r));
    }

    private Uni<String> clientName(AuthorizationRequest r) {
        return clients.find(r.clientId).map(c -> c.map(ClientRegistry.Client::name).orElse(r.clientId));
    }

    private Uni<Response> view(String accept, String code, AuthorizationRequest r, String browser, int status,
            String error, String errorField, String name, String email, Map<String, String> headers) {
        if (status >= 400 && !Pages.html(accept)) {
            return Uni.createFrom().item(Pages.jsonError(status, code, error, headers));
        }
        return clientName(r).map(client -> {
            Response.ResponseBuilder page = pages.pageBuilder(status, pages.localized(signUpPage
                    .data("clientName", client).data("request", r.id).data("csrf", pages.csrfToken(browser))
                    .data("minLength", minLength).data("error", error).data("errorField", errorField)
                    .data("name", name == null ? "" : name).data("email", email == null ? "" : email)).render(),
                    r.redirectUri, List.of());
            headers.forEach(page::header);
            return page.build();
        });
    }
}
