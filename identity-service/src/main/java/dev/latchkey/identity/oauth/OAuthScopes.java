package dev.latchkey.identity.oauth;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The OpenID Connect scopes Latchkey grants to people's clients. */
public final class OAuthScopes {

    public static final String OPENID = "openid";
    public static final String PROFILE = "profile";
    public static final String EMAIL = "email";
    public static final String OFFLINE_ACCESS = "offline_access";
    public static final List<String> SUPPORTED = List.of(OPENID, PROFILE, EMAIL, OFFLINE_ACCESS);

    private OAuthScopes() {
    }

    /**
     * The requested scopes, in order, without duplicates; null when one is not supported (invalid_scope). An
     * absent or blank request means {@code openid}.
     */
    public static List<String> parse(String requested) {
        if (requested == null || requested.isBlank()) {
            return List.of(OPENID);
        }
        Set<String> out = new LinkedHashSet<>();
        for (String scope : requested.trim().split("[ ]+")) {
            if (!SUPPORTED.contains(scope)) {
                return null;
            }
            out.add(scope);
        }
        return List.copyOf(out);
    }
}
