package dev.latchkey.identity.rest;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import dev.latchkey.identity.client.TenantClient.OrganizationRole;
import dev.latchkey.identity.domain.AuthorizationRequest;
import dev.latchkey.identity.domain.User;
import dev.latchkey.identity.service.AuthorizationRequests;
import dev.latchkey.identity.service.AuthorizationSteps;
import dev.latchkey.identity.service.AuthorizationSteps.Consent;
import dev.latchkey.identity.service.AuthorizationSteps.PickOrganization;
import dev.latchkey.identity.service.AuthorizationSteps.Redirect;
import dev.latchkey.identity.service.AuthorizationSteps.Step;
import dev.latchkey.identity.service.BrowserSessions;
import dev.latchkey.identity.service.ClientRegistry;
import dev.latchkey.identity.service.UpstreamProviders;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;

/**
 * How one page of an authorization request leads to the next, shared by the flows that reach the same places: a
 * person signed in (password, upstream provider, a browser already signed in) goes on to the organization picker,
 * the consent page or back to the client; a refused sign-in shows the sign-in page again with why.
 */
@ApplicationScoped
public class PageFlow {

    private final Pages pages;
    private final AuthorizationRequests requests;
    private final AuthorizationSteps steps;
    private final BrowserSessions browsers;
    private final ClientRegistry clients;
    private final UpstreamProviders upstream;
    private final Template signInPage;
    private final Template organizationPage;

    public PageFlow(Pages pages, AuthorizationRequests requests, AuthorizationSteps steps, BrowserSessions browsers,
            ClientRegistry clients, UpstreamProviders upstream, @Location("oauth/sign-in.html") Template signInPage,
            @Location("oauth/organization.html") Template organizationPage) {
        this.pages = pages;
        this.requests = requests;
        this.steps = steps;
        this.browsers = browsers;
        this.clients = clients;
        this.upstream = upstream;
        this.signInPage = signInPage;
        this.organizationPage = organizationPage;
    }

    /** A request whose client checks passed: to the sign-in page, or on for a browser already signed in. */
    Uni<Response> proceed(String accept, AuthorizationRequest r, BrowserSessions.SignedIn who, String browser,
            List<NewCookie> cookies) {
        if (who == null) {
            return Uni.createFrom().item(pages.seeOther("/v1/oauth/sign-in?request=" + r.id, cookies));
        }
        if (who.user().pending()) {
            return Uni.createFrom().item(pages.pending(accept));
        }
        return requests.signedIn(r.id, who.user().id, who.session().id, who.session().createdAt)
                .flatMap(x -> requests.load(r.id, browser))
                .flatMap(loaded -> continueFlow(loaded, cookies));
    }

    /**
     * {@code prompt=none}: back to the client in any case, with a code when nothing needs the person, else with what
     * would (OpenID Connect Core §3.1.2.6): login_required (not signed in, or too long ago), interaction_required (an
     * account awaiting approval, an organization to choose), consent_required.
     */
    Uni<Response> silently(AuthorizationRequest r, BrowserSessions.SignedIn who, String browser,
            List<NewCookie> cookies) {
        if (who == null) {
            return back(steps.refuse(r, "login_required", "The person is not signed in"), cookies);
        }
        if (who.user().pending()) {
            return back(steps.refuse(r, "interaction_required", "The account awaits an operator's approval"), cookies);
        }
        return requests.signedIn(r.id, who.user().id, who.session().id, who.session().createdAt)
                .flatMap(x -> requests.load(r.id, browser))
                .flatMap(loaded -> steps.next(loaded).flatMap(step -> back(switch (step) {
                    case Redirect redirect -> Uni.createFrom().item(redirect.location());
                    case Consent consent -> steps.refuse(loaded, "consent_required", "The person has not allowed "
                            + "this client yet");
                    case PickOrganization pick -> steps.refuse(loaded, "interaction_required", "The person has to "
                            + "choose an organization");
                }, cookies)));
    }

    private static Uni<Response> back(Uni<String> location, List<NewCookie> cookies) {
        return location.map(l -> Pages.found(l, cookies));
    }

    /** A person proved who they are: the browser is signed in and the request goes on. */
    Uni<Response> signedInAs(String accept, AuthorizationRequest r, String browser, User user, UUID sessionId,
            OffsetDateTime authTime) {
        if (user.pending()) {
            return Uni.createFrom().item(pages.pending(accept));
        }
        return browsers.create(sessionId).flatMap(cookie -> requests.signedIn(r.id, user.id, sessionId, authTime)
                .flatMap(x -> requests.load(r.id, browser))
                .flatMap(loaded -> continueFlow(loaded, List.of(pages.sessionCookie(cookie)))));
    }

    Uni<Response> continueFlow(AuthorizationRequest r, List<NewCookie> cookies) {
        return steps.next(r).flatMap(step -> respond(r, step, cookies));
    }

    /** On to the page of a step (organization, consent), or back to the client. */
    Uni<Response> respond(AuthorizationRequest r, Step step, List<NewCookie> cookies) {
        return Uni.createFrom().item(switch (step) {
            case PickOrganization pick -> pages.seeOther("/v1/oauth/organization?request=" + r.id, cookies);
            case Consent consent -> pages.seeOther("/v1/oauth/consent?request=" + r.id, cookies);
            case Redirect redirect -> Pages.found(redirect.location(), cookies);
        });
    }

    /** The sign-in page of a request; a refusal (status 400 and up) as JSON to a client that did not ask for HTML. */
    Uni<Response> signInView(String accept, AuthorizationRequest r, String browser, int status, String error,
            String code, String email, Map<String, String> headers) {
        if (status >= 400 && !Pages.html(accept)) {
            return Uni.createFrom().item(Pages.jsonError(status, code, error, headers));
        }
        return clients.find(r.clientId).map(client -> {
            List<Map<String, Object>> providers = upstream.buttons().stream()
                    .map(b -> Map.<String, Object>of("id", b.id(), "name", b.name())).toList();
            String body = pages.localized(signInPage
                    .data("clientName", client.map(ClientRegistry.Client::name).orElse(r.clientId))
                    .data("error", error).data("email", email == null ? "" : email).data("request", r.id)
                    .data("csrf", pages.csrfToken(browser)).data("providers", providers)).render();
            Response.ResponseBuilder builder = pages.pageBuilder(status, body, r.redirectUri, List.of());
            if (headers != null) {
                headers.forEach(builder::header);
            }
            return builder.build();
        });
    }

    /** The organization picker of a request (shown for the organization and the consent URL alike). */
    Response organizationView(AuthorizationRequest r, String browser, List<OrganizationRole> organizations) {
        List<Map<String, Object>> list = organizations.stream().map(o -> Map.<String, Object>of("organizationId",
                o.organizationId(), "name", o.name() == null ? o.organizationId() : o.name(), "slug",
                o.slug() == null ? o.organizationId() : o.slug(), "role", o.role() == null ? "member" : o.role(),
                "personal", o.personal())).toList();
        String body = pages.localized(organizationPage.data("clientName", r.clientId).data("organizations", list)
                .data("error", null).data("request", r.id).data("csrf", pages.csrfToken(browser))).render();
        return pages.page(200, body, r.redirectUri, List.of());
    }
}
