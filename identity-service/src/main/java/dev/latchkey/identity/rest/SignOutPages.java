package dev.latchkey.identity.rest;

import static dev.latchkey.identity.rest.Pages.BROWSER_COOKIE;
import static dev.latchkey.identity.rest.Pages.SESSION_COOKIE;

import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import dev.latchkey.identity.service.BrowserSessions;
import io.smallrye.mutiny.Uni;

/** Signing a browser out of the pages, and the stylesheet every page links. */
@Cancellable(false)
@Path("/v1/oauth")
@PageLanguage.Localized
@Tag(name = "Sign-in pages")
public class SignOutPages {

    private static final String CSS = load("identity/pages.css");

    private final BrowserSessions browsers;
    private final Pages pages;

    public SignOutPages(BrowserSessions browsers, Pages pages) {
        this.browsers = browsers;
        this.pages = pages;
    }

    @POST
    @Path("/sign-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Sign this browser out of the pages (its session ends)",
            description = "The form on the consent page; without its CSRF token 403 csrf_failed, as every form.")
    public Uni<Response> signOut(@FormParam("csrf") String token, @CookieParam(BROWSER_COOKIE) String browser,
            @CookieParam(SESSION_COOKIE) String session, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        // SameSite=Lax keeps the cookies off posts from other sites, but not off posts from another host of the
        // same site (a sibling subdomain); the token covers those, as on every other form.
        if (!pages.csrfValid(browser, token)) {
            return Uni.createFrom().item(pages.csrfRefused(accept));
        }
        return browsers.signOut(session).map(x -> pages.page(200, pages.messageBody(pages.text().signedOut(), pages.text().signedOutText(),
                null, null, "info"), null, List.of(pages.expired(SESSION_COOKIE))));
    }

    @GET
    @Path("/pages.css")
    @Produces("text/css")
    @Operation(hidden = true)
    public Response stylesheet() {
        return Response.ok(CSS, "text/css;charset=UTF-8").header("Cache-Control", "public, max-age=3600")
                .header("X-Content-Type-Options", "nosniff").build();
    }

    private static String load(String resource) {
        try (var in = SignOutPages.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalStateException(resource + " is missing", e);
        }
    }
}
