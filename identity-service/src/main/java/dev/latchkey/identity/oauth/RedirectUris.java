package dev.latchkey.identity.oauth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.Locale;

/**
 * Which redirect URIs a client may use. A requested URI must equal a registered one exactly (string comparison,
 * no normalisation that an attacker could play with), with one exception from RFC 8252 §7.3 for native clients:
 * a registered loopback URI {@code http://127.0.0.1/path} or {@code http://[::1]/path} matches the same URI on
 * any port, since a CLI listens on whatever port the system gives it. {@code localhost} is not a loopback literal
 * (it can be resolved elsewhere, RFC 8252 §8.3) and gets no such exception. URIs with user information or a
 * fragment are never registered nor accepted.
 */
public final class RedirectUris {

    private static final int MAX_LENGTH = 2000;

    private RedirectUris() {
    }

    /** Why {@code uri} may not be registered, or null when it may. */
    public static String registrationRefusal(String uri) {
        URI parsed = parse(uri);
        if (parsed == null) {
            return "is not an absolute URI";
        }
        if (parsed.getRawUserInfo() != null) {
            return "may not contain user information";
        }
        if (parsed.getRawFragment() != null || uri.contains("#")) {
            return "may not contain a fragment";
        }
        String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return parsed.getHost() == null ? "has no host" : null;
        }
        if (scheme.equals("http")) {
            String host = parsed.getHost();
            if (host == null) {
                return "has no host";
            }
            // Plain HTTP only where the traffic never leaves the machine (and localhost, for front ends in development).
            return loopbackLiteral(host) || host.equalsIgnoreCase("localhost") ? null
                    : "must use https (plain http only for 127.0.0.1, [::1] or localhost)";
        }
        // Private-use schemes of native apps (com.example.app:/callback), RFC 8252 §7.1.
        return scheme.contains(".") && parsed.getRawSchemeSpecificPart() != null ? null
                : "must use https, http on loopback, or a reverse-domain private scheme";
    }

    /**
     * Whether {@code requested} may be used by a client with {@code registered} URIs. {@code nativeClient}: a
     * public client, for which registered loopback URIs match on any port.
     */
    public static boolean allowed(Collection<String> registered, String requested, boolean nativeClient) {
        if (requested == null || requested.length() > MAX_LENGTH || requested.contains("#")) {
            return false;
        }
        for (String candidate : registered) {
            if (candidate.equals(requested)) {
                return true;
            }
        }
        if (!nativeClient) {
            return false;
        }
        URI asked = parse(requested);
        if (asked == null || !isLoopback(asked)) {
            return false;
        }
        for (String candidate : registered) {
            URI known = parse(candidate);
            if (known != null && isLoopback(known) && known.getPort() == -1
                    && known.getHost().equals(asked.getHost())
                    && known.getRawPath().equals(asked.getRawPath())
                    && java.util.Objects.equals(known.getRawQuery(), asked.getRawQuery())) {
                return true;
            }
        }
        return false;
    }

    /** {@code http://127.0.0.1[:port]/...} or {@code http://[::1][:port]/...}, without user info or fragment. */
    static boolean isLoopback(URI uri) {
        return "http".equals(uri.getScheme()) && uri.getRawUserInfo() == null && uri.getRawFragment() == null
                && uri.getHost() != null && loopbackLiteral(uri.getHost())
                // The authority must be exactly host[:port]: no tricks that URI parsing forgives.
                && uri.getRawAuthority().matches("(127\\.0\\.0\\.1|\\[::1\\])(:[0-9]{1,5})?");
    }

    private static boolean loopbackLiteral(String host) {
        return host.equals("127.0.0.1") || host.equals("[::1]");
    }

    private static URI parse(String value) {
        if (value == null || value.isBlank() || value.length() > MAX_LENGTH) {
            return null;
        }
        try {
            URI uri = new URI(value);
            return uri.isAbsolute() && !uri.isOpaque() || uri.isAbsolute() && uri.getScheme().contains(".") ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
