package dev.latchkey.identity.oauth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The redirect back to a client that ends an authorization request (RFC 6749 §4.1.2): a code, or an error
 * (§4.1.2.1), with the request's {@code state} and the issuer's {@code iss} (RFC 9207, so a client talking to several
 * servers knows which one answered). Only ever built for a redirect URI already checked against the client's.
 */
public final class AuthorizationResponses {

    private final String issuer;

    public AuthorizationResponses(String issuer) {
        this.issuer = issuer;
    }

    /** The redirect carrying a code. */
    public String code(String redirectUri, String code, String state) {
        return withParams(redirectUri, params("code", code, "state", state, "iss", issuer));
    }

    /** The redirect carrying an error; null values are left out. */
    public String error(String redirectUri, String error, String description, String state) {
        return withParams(redirectUri, params("error", error, "error_description", description, "state", state,
                "iss", issuer));
    }

    private static Map<String, String> params(String... pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                out.put(pairs[i], pairs[i + 1]);
            }
        }
        return out;
    }

    static String withParams(String uri, Map<String, String> params) {
        StringBuilder out = new StringBuilder(uri);
        char separator = uri.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> e : params.entrySet()) {
            out.append(separator).append(e.getKey()).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return out.toString();
    }
}
