package dev.latchkey.identity.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import dev.latchkey.identity.config.IdentityConfig;
import io.smallrye.common.vertx.ContextLocals;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

/**
 * Which language a page speaks, decided once per request of a {@link Localized} resource: the language a person
 * picked with the switcher ({@code lang}, kept in a cookie), else the relying party's {@code ui_locales} (OpenID
 * Connect Core §3.1.2.1, on the authorization request; kept for the flow), else the language the browser was last
 * shown, else the best of {@code Accept-Language}, else the default. Only languages with a translation
 * ({@code latchkey.identity.pages.languages}) are ever chosen. The choice rides on the request's Vert.x context, where
 * {@link Pages} reads it while rendering, whatever thread the flow's database calls resumed on.
 */
@Singleton
public class PageLanguage {

    /** Marks the resources whose pages are translated. */
    @NameBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ ElementType.TYPE, ElementType.METHOD })
    public @interface Localized {
    }

    static final String COOKIE = "lk_lang";
    private static final String CHOSEN = "latchkey.page-language";
    private static final String SWITCH_BASE = "latchkey.page-switch";
    private static final int YEAR = 365 * 24 * 3600;

    /**
     * Quarkus creates request filters while it deploys the REST layer, before runtime configuration exists (as for
     * common's BearerTokenFilter): the settings are read on first use.
     */
    private final Instance<IdentityConfig> config;
    private volatile List<String> languages;
    private volatile boolean secure;

    public PageLanguage(Instance<IdentityConfig> config) {
        this.config = config;
    }

    private List<String> languages() {
        List<String> known = languages;
        if (known == null) {
            IdentityConfig settings = config.get();
            secure = settings.publicUrl().startsWith("https://");
            known = List.copyOf(settings.pages().languages());
            languages = known;
        }
        return known;
    }

    @Localized
    @ServerRequestFilter
    public void negotiate(ResteasyReactiveContainerRequestContext request, RoutingContext routing) {
        List<String> languages = languages();
        String picked = supported(routing.request().getParam("lang"));
        String asked = firstSupported(routing.request().getParam("ui_locales"));
        Cookie cookie = routing.request().getCookie(COOKIE);
        String language = picked != null ? picked : asked != null ? asked
                : cookie != null && supported(cookie.getValue()) != null ? cookie.getValue()
                : fromAcceptLanguage(request.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
        if (picked != null || asked != null) {
            // A switch is a person's choice and lasts; ui_locales is the relying party's, for this browser session.
            Cookie remembered = Cookie.cookie(COOKIE, language).setPath("/").setHttpOnly(true).setSecure(secure)
                    .setSameSite(CookieSameSite.LAX);
            if (picked != null) {
                remembered.setMaxAge(YEAR);
            }
            routing.response().addCookie(remembered);
        }
        ContextLocals.put(CHOSEN, language);
        if ("GET".equals(routing.request().method().name())) {
            ContextLocals.put(SWITCH_BASE, switchBase(routing.request().path(), routing.request().query()));
        }
    }

    /** The language of the page being rendered (the default outside a {@link Localized} request). */
    String current() {
        return ContextLocals.<String>get(CHOSEN).orElseGet(() -> languages().get(0));
    }

    /** The switcher's links (language, its own name, URL), or none where the page cannot be fetched again by GET. */
    List<String[]> switchLinks() {
        String base = ContextLocals.<String>get(SWITCH_BASE).orElse(null);
        if (base == null) {
            return List.of();
        }
        String current = current();
        return languages().stream().filter(l -> !l.equals(current))
                .map(l -> new String[] { l, base + (base.contains("?") ? "&" : "?") + "lang=" + l }).toList();
    }

    private String supported(String tag) {
        if (tag == null || tag.isBlank()) {
            return null;
        }
        String language = Locale.forLanguageTag(tag.trim()).getLanguage();
        return languages().contains(language) ? language : null;
    }

    private String firstSupported(String uiLocales) {
        if (uiLocales == null) {
            return null;
        }
        for (String tag : uiLocales.trim().split("[ ]+")) {
            String language = supported(tag);
            if (language != null) {
                return language;
            }
        }
        return null;
    }

    private String fromAcceptLanguage(String header) {
        if (header != null && !header.isBlank()) {
            try {
                String best = Locale.lookupTag(Locale.LanguageRange.parse(header), languages());
                if (best != null) {
                    return best;
                }
            } catch (IllegalArgumentException e) {
                // A malformed header counts as none.
            }
        }
        return languages().get(0);
    }

    /** The page's own URL without {@code lang} and without {@code ui_locales} (the switch overrides them). */
    private static String switchBase(String path, String query) {
        if (query == null || query.isEmpty()) {
            return path;
        }
        StringBuilder kept = new StringBuilder();
        for (String pair : query.split("&")) {
            if (pair.startsWith("lang=") || pair.equals("lang") || pair.startsWith("ui_locales=")) {
                continue;
            }
            kept.append(kept.isEmpty() ? "" : "&").append(pair);
        }
        return kept.isEmpty() ? path : path + "?" + kept;
    }
}
