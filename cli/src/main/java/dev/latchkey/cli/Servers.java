package dev.latchkey.cli;

import java.net.URI;
import java.net.URISyntaxException;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where the three services the CLI talks to are. Deployed Latchkey has one origin (the edge routes by path, see
 * deploy/README.md), so one {@code --server} is enough. The local suite ({@code deploy/local/up}) runs each service
 * on its own port: a server on port 8081 is taken to be that layout, with apikey-service on 8082 and
 * tenant-service on 8084 of the same host, unless {@code --apikey-url} / {@code --tenant-url} say otherwise.
 */
public record Servers(String identity, String apikey, String tenant) {

    public static final String DEFAULT_SERVER = "http://localhost:8081";

    public static Servers resolve(String server, String apikey, String tenant) {
        String identity = normalize(server, "--server");
        return new Servers(identity, apikey != null ? normalize(apikey, "--apikey-url") : sibling(identity, 8082),
                tenant != null ? normalize(tenant, "--tenant-url") : sibling(identity, 8084));
    }

    public static Servers of(ObjectNode credentials) {
        String identity = Json.text(credentials, "server");
        String apikey = Json.text(credentials, "apikey_url");
        String tenant = Json.text(credentials, "tenant_url");
        return new Servers(identity, apikey != null ? apikey : identity, tenant != null ? tenant : identity);
    }

    public void into(ObjectNode credentials) {
        credentials.put("server", identity);
        credentials.put("apikey_url", apikey);
        credentials.put("tenant_url", tenant);
    }

    static String normalize(String url, String option) {
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                    || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new URISyntaxException(url, "not an http(s) origin");
            }
            return (scheme + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath()))
                    .replaceAll("/+$", "");
        } catch (URISyntaxException e) {
            throw new CliException(Exit.USAGE, "invalid_url", option + " must be an http(s) URL such as "
                    + DEFAULT_SERVER + ", not '" + url + "'");
        }
    }

    private static String sibling(String identity, int port) {
        URI uri = URI.create(identity);
        if (uri.getPort() != 8081) {
            return identity;
        }
        String host = uri.getRawAuthority().substring(0, uri.getRawAuthority().lastIndexOf(':'));
        return uri.getScheme() + "://" + host + ":" + port;
    }
}
