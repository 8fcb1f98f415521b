package dev.latchkey.identity.oauth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * RFC 8707 resource indicators: the resource servers a client may ask an access token for, one per token. A client
 * is registered with the absolute URIs it may ask for; a request names them exactly (string comparison, as for
 * redirect URIs: no normalisation to play with). A token for a resource has that resource as its only {@code aud},
 * so Latchkey's own services, which verify their own audience, refuse it; Latchkey's audience is always within a
 * grant and is what a token is for when no resource is asked.
 */
public final class ResourceIndicators {

    /** At most this many resources per client, and per authorization request. */
    public static final int MAX = 20;
    private static final int MAX_LENGTH = 2000;

    /** Where a token request points: {@code audience} null is Latchkey's own; {@code refusal} non-null is invalid_target. */
    public record Target(String audience, String refusal) {
        static Target refused(String why) {
            return new Target(null, why);
        }
    }

    private ResourceIndicators() {
    }

    /** Why {@code uri} may not be registered as a resource, or null when it may (RFC 8707 §2: absolute, no fragment). */
    public static String registrationRefusal(String uri) {
        if (uri.length() > MAX_LENGTH) {
            return "is longer than " + MAX_LENGTH + " characters";
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return "is not a URI";
        }
        if (!parsed.isAbsolute()) {
            return "is not an absolute URI";
        }
        if (parsed.getRawFragment() != null || uri.contains("#")) {
            return "may not contain a fragment";
        }
        if (!parsed.isOpaque() && parsed.getHost() == null) {
            return "has no host";
        }
        return null;
    }

    /**
     * Why the resources of an authorization request are refused (invalid_target), or null: each must be registered
     * for the client.
     */
    public static String requestRefusal(List<String> requested, Collection<String> registered) {
        if (requested.size() > MAX) {
            return "At most " + MAX + " resources may be asked for";
        }
        for (String resource : requested) {
            if (!registered.contains(resource)) {
                return "The resource " + printable(resource) + " is not registered for this client";
            }
        }
        return null;
    }

    /**
     * The audience of a token asked for at the token endpoint: none asked is Latchkey's ({@code ownAudience} too);
     * one asked must be registered for the client and within the grant; several are refused (one audience per
     * token, so that no resource server can replay a token at another).
     *
     * @param granted what the authorization request asked for; null for a grant without one (client credentials),
     *                where what the client is registered with is the limit
     */
    public static Target target(List<String> requested, Collection<String> registered, Collection<String> granted,
            String ownAudience) {
        if (requested == null || requested.isEmpty()) {
            return new Target(null, null);
        }
        if (requested.stream().distinct().count() > 1) {
            return Target.refused("Ask for one resource per token");
        }
        String resource = requested.get(0);
        if (resource.equals(ownAudience)) {
            return new Target(null, null);
        }
        if (!registered.contains(resource)) {
            return Target.refused("The resource " + printable(resource) + " is not registered for this client");
        }
        if (granted != null && !granted.contains(resource)) {
            return Target.refused("The resource " + printable(resource) + " was not asked for in the authorization "
                    + "request");
        }
        return new Target(resource, null);
    }

    /** The stored form: newline-separated; null or empty for none. */
    public static List<String> split(String stored) {
        return stored == null || stored.isEmpty() ? List.of() : Arrays.asList(stored.split("\n"));
    }

    public static String join(Collection<String> resources) {
        return resources.isEmpty() ? null : String.join("\n", resources);
    }

    /** A resource named in an error message: bounded, without control characters. */
    private static String printable(String resource) {
        String clean = resource.codePoints().filter(c -> c >= 0x20 && c != 0x7f)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return "'" + (clean.length() > 100 ? clean.substring(0, 100) + "…" : clean) + "'";
    }
}
