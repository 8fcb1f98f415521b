package dev.latchkey.identity.rest;

import static dev.latchkey.identity.rest.Pages.BROWSER_COOKIE;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorCodes;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.domain.EmailToken;
import dev.latchkey.identity.password.PasswordPolicy;
import dev.latchkey.identity.service.AccountService;
import dev.latchkey.identity.service.AccountService.Link;
import dev.latchkey.identity.service.AccountService.LinkState;
import dev.latchkey.identity.domain.User;
import dev.latchkey.identity.service.AuthorizationRequests;
import dev.latchkey.identity.service.BrowserSessions;
import dev.latchkey.identity.service.PasswordResets;
import dev.latchkey.identity.service.PasswordService;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The pages the links in Latchkey's mails open: confirm an email address, choose a new password, and ask for a new
 * link when one is stale. A GET never uses a link's token (mail scanners such as Safe Links open links before the
 * person does): it shows what will happen, and a button POSTs, with the CSRF token of this browser. A reset ends
 * every session of the account and signs this browser in, as Keycloak and Auth0 do after a reset.
 */
@Cancellable(false)
@Path("/")
@PageLanguage.Localized
@Tag(name = "Sign-in pages")
public class EmailLinkPages {

    private static final String VERIFY = "verify";
    private static final String RESET = "reset";

    private final AccountService accounts;
    private final PasswordResets resets;
    private final AuthorizationRequests requests;
    private final PageFlow flow;
    private final BrowserSessions browsers;
    private final PasswordService passwords;
    private final Pages pages;
    private final int minLength;
    private final Template verifyPage;
    private final Template resetPage;
    private final Template stalePage;

    public EmailLinkPages(AccountService accounts, PasswordResets resets, AuthorizationRequests requests, PageFlow flow,
            BrowserSessions browsers, PasswordService passwords, Pages pages, IdentityConfig config,
            @Location("oauth/verify-email.html") Template verifyPage,
            @Location("oauth/reset-password.html") Template resetPage,
            @Location("oauth/link-stale.html") Template stalePage) {
        this.accounts = accounts;
        this.resets = resets;
        this.requests = requests;
        this.flow = flow;
        this.browsers = browsers;
        this.passwords = passwords;
        this.pages = pages;
        this.minLength = config.passwords().minLength();
        this.verifyPage = verifyPage;
        this.resetPage = resetPage;
        this.stalePage = stalePage;
    }

    @GET
    @Path("/verify-email")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Page of the verification mail's link: which address, and a Confirm button (the GET uses nothing)")
    public Uni<Response> verifyForm(@QueryParam("token") String token, @QueryParam("continue") String continueRequest,
            @CookieParam(BROWSER_COOKIE) String browser, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        Pages.Browser binding = pages.browser(browser);
        return accounts.peek(token, EmailToken.VERIFY_EMAIL).map(link -> link.state() != LinkState.VALID
                ? stale(VERIFY, link.state(), binding, null, accept)
                : pages.page(200, pages.localized(verifyPage.data("email", link.email()).data("token", token)
                        .data("continue", continueRequest == null ? "" : continueRequest)
                        .data("csrf", pages.csrfToken(binding.value()))).render(), null, binding.cookies()));
    }

    @POST
    @Path("/verify-email")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Confirm the address (form of the verification page)")
    public Uni<Response> verify(@FormParam("token") String token, @FormParam("continue") String continueRequest,
            @FormParam("csrf") String csrf, @CookieParam(BROWSER_COOKIE) String browser,
            @HeaderParam(HttpHeaders.USER_AGENT) String userAgent, @HeaderParam(HttpHeaders.ACCEPT) String accept,
            @Context RoutingContext routing) {
        if (!pages.csrfValid(browser, csrf)) {
            return Uni.createFrom().item(pages.csrfRefused(accept));
        }
        return accounts.verifyEmail(token)
                .flatMap(user -> continueFlow(user, continueRequest, browser, userAgent, accept, routing)
                        .map(next -> next != null ? next : pages.message(accept, 200, pages.text().verifiedTitle(),
                                pages.text().verifiedText(user.email), null, null, "info")))
                .onFailure(ApiException.class).recoverWithItem(e -> refused((ApiException) e, VERIFY, browser, accept));
    }

    /**
     * After a sign-up page's link is confirmed in the browser that started the authorization request: signed in, on
     * to consent and back to the application. Null (the plain confirmation page) without a request, or when it
     * belongs to another browser or has expired: the person then signs in at the application.
     */
    private Uni<Response> continueFlow(User user, String requestId, String browser, String userAgent, String accept,
            RoutingContext routing) {
        if (requestId == null || requestId.isBlank()) {
            return Uni.createFrom().nullItem();
        }
        return requests.load(requestId, browser)
                .flatMap(r -> accounts.startSession(user, userAgent, pages.address(routing)).flatMap(tokens -> tokens == null
                        ? Uni.createFrom().item(pages.pending(accept))
                        : flow.signedInAs(accept, r, browser, tokens.user(), tokens.session().id,
                                tokens.session().createdAt)))
                .onFailure(ApiException.class).recoverWithNull();
    }

    @GET
    @Path("/reset-password")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Page of the reset mail's link: the new password, twice (the GET uses nothing)")
    public Uni<Response> resetForm(@QueryParam("token") String token, @CookieParam(BROWSER_COOKIE) String browser,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        Pages.Browser binding = pages.browser(browser);
        if (token == null || token.isEmpty()) {
            // "Forgot your password?" on the sign-in page: the form that mails a link.
            return Uni.createFrom().item(askForLink(RESET, pages.text().forgotPassword(), pages.text().forgotText(),
                    200, binding, null, accept));
        }
        return accounts.peek(token, EmailToken.RESET_PASSWORD).map(link -> link.state() != LinkState.VALID
                ? stale(RESET, link.state(), binding, null, accept)
                : resetView(accept, 200, link, token, binding.value(), null, null, binding.cookies()));
    }

    @POST
    @Path("/reset-password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Set the new password (form of the reset page): every session ends, this browser signs in")
    public Uni<Response> reset(@FormParam("token") String token, @FormParam("csrf") String csrf,
            @FormParam("new_password") String password, @FormParam("new_password_again") String again,
            @CookieParam(BROWSER_COOKIE) String browser, @HeaderParam(HttpHeaders.USER_AGENT) String userAgent,
            @HeaderParam(HttpHeaders.ACCEPT) String accept, @Context RoutingContext routing) {
        if (!pages.csrfValid(browser, csrf)) {
            return Uni.createFrom().item(pages.csrfRefused(accept));
        }
        if (!Objects.equals(password, again)) {
            return accounts.peek(token, EmailToken.RESET_PASSWORD).map(link -> link.state() != LinkState.VALID
                    ? stale(RESET, link.state(), pages.browser(browser), null, accept)
                    : resetView(accept, 400, link, token, browser, pages.text().passwordsDiffer(), "new_password_again",
                            List.of()));
        }
        return accounts.peek(token, EmailToken.RESET_PASSWORD).flatMap(link -> {
            PasswordPolicy.Refusal weak = link.state() == LinkState.VALID
                    ? passwords.check(password, link.email(), null) : null;
            // Said on the page, in its language, before the link is used; the service checks again.
            return weak != null
                    ? Uni.createFrom().item(resetView(accept, 400, link, token, browser, pages.describe(weak), "new_password",
                            List.of()))
                    : resetAndSignIn(token, password, browser, userAgent, accept, routing);
        });
    }

    private Uni<Response> resetAndSignIn(String token, String password, String browser, String userAgent,
            String accept, RoutingContext routing) {
        return resets.resetAndSignIn(token, password, userAgent, pages.address(routing))
                .flatMap(done -> done.tokens() == null
                        ? Uni.createFrom().item(pages.message(accept, 200, pages.text().resetDoneTitle(),
                                pages.text().resetDonePendingText(), null, null, "info"))
                        : browsers.create(done.tokens().session().id).map(cookie -> pages.page(200,
                                pages.messageBody(pages.text().resetDoneTitle(),
                                        pages.text().resetDoneText(done.ended()), null, null, "info"),
                                null, List.of(pages.sessionCookie(cookie)))))
                .onFailure(ApiException.class).recoverWithUni(e -> {
                    ApiException refusal = (ApiException) e;
                    if (!ErrorCodes.VALIDATION_FAILED.equals(refusal.code())) {
                        return Uni.createFrom().item(refused(refusal, RESET, browser, accept));
                    }
                    // The policy refused the password: the form again, with why, next to the field.
                    return accounts.peek(token, EmailToken.RESET_PASSWORD).map(link -> resetView(accept, 400, link, token,
                            browser, refusal.publicMessage().replace("'new_password' ", ""), "new_password", List.of()));
                });
    }

    @POST
    @Path("/email-links")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Ask for a new verification or reset link (form of a stale link's page)",
            description = "The same answer whether or not the address has an account; at most 5 mails per address "
                    + "and 20 per client address an hour (429).")
    public Uni<Response> newLink(@FormParam("kind") String kind, @FormParam("email") String email,
            @FormParam("csrf") String csrf, @CookieParam(BROWSER_COOKIE) String browser,
            @HeaderParam(HttpHeaders.ACCEPT) String accept, @Context RoutingContext routing) {
        if (!pages.csrfValid(browser, csrf)) {
            return Uni.createFrom().item(pages.csrfRefused(accept));
        }
        String address = pages.address(routing);
        Uni<Void> sent;
        try {
            sent = RESET.equals(kind) ? resets.requestReset(email, address)
                    : accounts.resendVerificationTo(email, address);
        } catch (ApiException e) {
            sent = Uni.createFrom().failure(e);
        }
        return sent.map(x -> pages.message(accept, 202, pages.text().linkSentTitle(), pages.text().linkSentText(email),
                null, null, "info"))
                .onFailure(ApiException.class).recoverWithItem(e -> {
                    ApiException refusal = (ApiException) e;
                    if (refusal.status() >= 500 || !Pages.html(accept)) {
                        throw refusal;
                    }
                    return stale(RESET.equals(kind) ? RESET : VERIFY, LinkState.UNKNOWN, pages.browser(browser),
                            refusal, accept);
                });
    }

    private Response resetView(String accept, int status, Link link, String token, String browser, String error,
            String errorField, List<NewCookie> cookies) {
        if (status >= 400 && !Pages.html(accept)) {
            return Pages.jsonError(status, ErrorCodes.VALIDATION_FAILED, error, null);
        }
        String body = pages.localized(resetPage.data("email", link.email()).data("token", token)
                .data("csrf", pages.csrfToken(browser)).data("minLength", minLength).data("error", error)
                .data("errorField", errorField)).render();
        return pages.page(status, body, null, cookies);
    }

    /** A refusal of a form: a stale link's page for an unknown, used or expired token, the message page otherwise. */
    private Response refused(ApiException e, String kind, String browser, String accept) {
        return switch (e.code()) {
            case "invalid_token" -> stale(kind, LinkState.USED, pages.browser(browser), null, accept);
            case "token_expired" -> stale(kind, LinkState.EXPIRED, pages.browser(browser), null, accept);
            default -> pages.message(accept, e.status(), pages.text().refusedTitle(), pages.describe(e), e.code(),
                    null, "error");
        };
    }

    /**
     * The page of a link that cannot be used, with a form for a new one; {@code refusal} a refused request for one
     * (429 with its Retry-After). A stale link answers 410 Gone, an unknown one 404.
     */
    private Response stale(String kind, LinkState state, Pages.Browser binding, ApiException refusal, String accept) {
        String heading = switch (state) {
            case USED -> pages.text().linkUsedTitle();
            case EXPIRED -> pages.text().linkExpiredTitle();
            default -> pages.text().linkInvalidTitle();
        };
        String message = refusal == null ? pages.text().linkStaleText() : pages.describe(refusal);
        int status = refusal != null ? refusal.status() : state == LinkState.UNKNOWN ? 404 : 410;
        if (!Pages.html(accept)) {
            // A client that did not ask for a page (curl, a misrouted API client) gets the project's JSON error.
            String code = refusal != null ? refusal.code() : switch (state) {
                case USED -> "token_used";
                case EXPIRED -> "token_expired";
                default -> "invalid_token";
            };
            return Pages.jsonError(status, code, message, refusal == null ? null : refusal.headers());
        }
        return askForLink(kind, heading, message, status, binding, refusal, accept);
    }

    private Response askForLink(String kind, String heading, String message, int status, Pages.Browser binding,
            ApiException refusal, String accept) {
        String body = pages.localized(stalePage.data("heading", heading).data("message", message).data("kind", kind)
                .data("kindClass", refusal == null && status == 200 ? "lead" : "error").data("email", "")
                .data("csrf", pages.csrfToken(binding.value()))).render();
        Response.ResponseBuilder builder = pages.pageBuilder(status, body, null, new ArrayList<>(binding.cookies()));
        if (refusal != null) {
            refusal.headers().forEach(builder::header);
        }
        return builder.build();
    }
}
