package dev.latchkey.identity.oauth;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import dev.latchkey.common.auth.ClientScopes;

/**
 * The scopes Latchkey grants to people's clients: OpenID Connect's, which sign a person in and open userinfo, and
 * Latchkey's own API scopes ({@link ClientScopes}), which open its endpoints to the client's token.
 */
public final class OAuthScopes {

    public static final String OPENID = "openid";
    public static final String PROFILE = "profile";
    public static final String EMAIL = "email";
    public static final String OFFLINE_ACCESS = "offline_access";
    /** OpenID Connect's. */
    public static final List<String> OIDC = List.of(OPENID, PROFILE, EMAIL, OFFLINE_ACCESS);
    public static final List<String> SUPPORTED = Stream.concat(OIDC.stream(), ClientScopes.API.stream()).toList();
    /**
     * Recorded on the grant of an ID-token exchange bound to a client, never requested: the exchange starts a
     * first-party session (its tokens name no client and are not limited), which only that client refreshes. Not a
     * scope of {@link #SUPPORTED}, so no authorization request can ask for it.
     */
    public static final String FIRST_PARTY = "latchkey:first_party";

    private OAuthScopes() {
    }

    /** The scopes a grant's row records ({@code scopes}, space-separated), without {@link #FIRST_PARTY}. */
    public static List<String> granted(String recorded) {
        return Stream.of(recorded.split(" ")).filter(scope -> !FIRST_PARTY.equals(scope)).toList();
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
