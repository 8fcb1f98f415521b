package dev.latchkey.identity.rest;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import dev.latchkey.common.crypto.Secrets;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.ErrorBody;
import dev.latchkey.common.error.ErrorCodes;
import dev.latchkey.common.error.RequestIds;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.oauth.Csrf;
import dev.latchkey.identity.password.PasswordPolicy;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.i18n.MessageBundles;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * What every sign-in page shares (authorize and sign-in, upstream, organization, consent, device, sign-out):
 * server-rendered (Qute), no JavaScript. Every form carries a CSRF token bound to a browser cookie ({@link Csrf});
 * every page is sent with a Content-Security-Policy that allows no script, no framing ({@code frame-ancestors
 * 'none'} and X-Frame-Options) and form targets only here and at the client's redirect origin. Cookies are
 * HttpOnly, SameSite=Lax, path {@code /} (the pages of mail links live outside {@code /v1/oauth}), and Secure when
 * the public URL is https. A refusal is a page for
 * a browser and the project's JSON error body for anything else. Pages speak the language {@link PageLanguage}
 * chose: every template renders through {@link #localized}, every word from Java comes from {@link #text()}.
 */
@ApplicationScoped
public class Pages {

    static final String BROWSER_COOKIE = "lk_browser";
    static final String SESSION_COOKIE = "lk_session";
    private static final String HTML = "text/html;charset=UTF-8";

    /** The browser binding of a request: its cookie value, and the cookie to set when it was new. */
    record Browser(String value, List<NewCookie> cookies) {
    }

    private final ClientAddress clientAddress;
    private final PageLanguage language;
    private final Map<String, PageText> texts = new ConcurrentHashMap<>();
    private final Template messagePage;
    private final Csrf csrf;
    private final boolean secure;
    private final String publicUrl;
    private final int sessionSeconds;

    public Pages(IdentityConfig config, ClientAddress clientAddress, PageLanguage language,
            @Location("oauth/message.html") Template messagePage) {
        this.clientAddress = clientAddress;
        this.language = language;
        this.messagePage = messagePage;
        // The CSRF key is derived from the KEK every replica shares: tokens check on any replica.
        this.csrf = new Csrf(Secrets.sha256(("latchkey-oauth-csrf\0" + config.kek()).getBytes(StandardCharsets.UTF_8)));
        this.publicUrl = config.publicUrl().replaceAll("/+$", "");
        this.secure = publicUrl.startsWith("https://");
        this.sessionSeconds = (int) config.sessions().lifetime().toSeconds();
    }

    /** Where the request comes from ({@link ClientAddress}). */
    String address(RoutingContext routing) {
        return clientAddress.of(routing);
    }

    // ---- browser, CSRF, cookies -------------------------------------------------------------------------------

    /** The browser's binding cookie, or a new one (to be set) when it has none or a malformed one. */
    Browser browser(String cookie) {
        if (validBrowser(cookie)) {
            return new Browser(cookie, List.of());
        }
        String fresh = Csrf.newBrowserValue();
        return new Browser(fresh, List.of(browserCookie(fresh)));
    }

    static boolean validBrowser(String value) {
        return value != null && value.length() == 43 && value.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c));
    }

    /** The token the forms of a page carry for this browser. */
    String csrfToken(String browser) {
        return csrf.token(browser);
    }

    boolean csrfValid(String browser, String token) {
        return csrf.valid(browser, token);
    }

    /** How long a session lasts, in whole hours (the consent page says so for offline_access). */
    int sessionHours() {
        return sessionSeconds / 3600;
    }

    private NewCookie browserCookie(String value) {
        return new NewCookie.Builder(BROWSER_COOKIE).value(value).path("/").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.LAX).build();
    }

    NewCookie sessionCookie(String value) {
        return new NewCookie.Builder(SESSION_COOKIE).value(value).path("/").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.LAX).maxAge(sessionSeconds).build();
    }

    NewCookie expired(String name) {
        return new NewCookie.Builder(name).value("").path("/").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.LAX).maxAge(0).build();
    }

    // ---- messages and refusals --------------------------------------------------------------------------------

    // ---- language ---------------------------------------------------------------------------------------------

    /** The words of the page being rendered, in its language. */
    PageText text() {
        return texts.computeIfAbsent(language.current(),
                tag -> MessageBundles.get(PageText.class, io.quarkus.qute.i18n.Localized.Literal.of(tag)));
    }

    /** {@code page} in the request's language, with what the layout needs: {@code lang} and the switcher's links. */
    TemplateInstance localized(TemplateInstance page) {
        String tag = language.current();
        return page.setAttribute("locale", Locale.forLanguageTag(tag)).data("lang", tag)
                .data("switchLinks", language.switchLinks());
    }

    /**
     * What a refusal tells a person, in the page's language where the code has a translation; otherwise the English
     * text of the service that refused.
     */
    String describe(ApiException e) {
        PageText t = text();
        return switch (e.code() == null ? "" : e.code()) {
            case "invalid_credentials" -> t.errorInvalidCredentials();
            case "account_disabled" -> t.errorAccountDisabled();
            case "email_not_verified" -> t.errorEmailNotVerified();
            case "email_not_allowed" -> t.errorEmailNotAllowed();
            case "invalid_user_code" -> t.errorInvalidUserCode();
            case ErrorCodes.RATE_LIMITED -> retryAfter(e) > 0 ? t.errorRateLimited(retryAfter(e)) : e.publicMessage();
            default -> e.publicMessage();
        };
    }

    /** Why the password policy refused a password, in the page's language. */
    String describe(PasswordPolicy.Refusal refusal) {
        PageText t = text();
        return switch (refusal.reason()) {
            case REQUIRED -> t.passwordRequired();
            case TOO_SHORT -> t.passwordTooShort(refusal.limit());
            case TOO_LONG -> t.passwordTooLong(refusal.limit());
            case DENIED -> t.passwordDenied();
            case CONTAINS_EMAIL -> t.passwordContainsEmail();
            case TOO_GUESSABLE -> t.passwordTooGuessable();
        };
    }

    private static long retryAfter(ApiException e) {
        try {
            return Long.parseLong(e.headers().getOrDefault("Retry-After", "0"));
        } catch (NumberFormatException ignored) {
            return 0;
        }
    }

    // ---- messages and refusals --------------------------------------------------------------------------------

    Response pending(String accept) {
        return message(accept, 403, text().pendingTitle(), text().pendingText(), "alpha_pending", null, "info");
    }

    Response csrfRefused(String accept) {
        return message(accept, 403, text().csrfTitle(), text().csrfText(), "csrf_failed", null, "error");
    }

    /** An HTML page for browsers, the project's JSON error body for anything else. */
    Uni<Response> failurePage(ApiException e, String accept) {
        if (!html(accept)) {
            return Uni.createFrom().failure(e);
        }
        String heading = e.status() >= 500 ? text().failedTitle() : text().refusedTitle();
        return Uni.createFrom().item(message(accept, e.status(), heading, describe(e), e.code(), null, "error"));
    }

    Response message(String accept, int status, String heading, String text, String code, String back, String kind) {
        if (status >= 400 && !html(accept)) {
            return jsonError(status, code, text, null);
        }
        return page(status, messageBody(heading, text, code, back, kind), null, List.of());
    }

    String messageBody(String heading, String text, String code, String back, String kind) {
        return localized(messagePage.data("heading", heading).data("message", text).data("code", code)
                .data("back", back).data("kind", kind)).render();
    }

    /** A browser asked for this page; anything else (curl, a fuzzer, a misrouted API client) gets JSON errors. */
    static boolean html(String accept) {
        return accept != null && accept.contains("text/html");
    }

    /** The project's JSON error body, for refusals answered to a client that did not ask for HTML. */
    static Response jsonError(int status, String code, String message, Map<String, String> headers) {
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

    // ---- pages and redirects ----------------------------------------------------------------------------------

    Response page(int status, String body, String redirectUri, List<NewCookie> cookies) {
        return pageBuilder(status, body, redirectUri, cookies).build();
    }

    Response.ResponseBuilder pageBuilder(int status, String body, String redirectUri, List<NewCookie> cookies) {
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

    /** On to another page: 303, so a form post becomes a GET. */
    Response seeOther(String location, List<NewCookie> cookies) {
        String absolute = location.startsWith("/") ? publicUrl + location : location;
        Response.ResponseBuilder builder = Response.status(303).location(URI.create(absolute));
        security(builder, null);
        cookies.forEach(builder::cookie);
        return builder.build();
    }

    /** Back to the client: 302, as RFC 6749 shows it. */
    static Response found(String location, List<NewCookie> cookies) {
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
}
