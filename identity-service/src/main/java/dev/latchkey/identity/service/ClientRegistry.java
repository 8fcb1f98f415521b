package dev.latchkey.identity.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.latchkey.common.error.ApiException;
import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.domain.OAuthClient;
import dev.latchkey.identity.oauth.ClientSecrets;
import dev.latchkey.identity.oauth.RedirectUris;
import dev.latchkey.identity.oauth.ResourceIndicators;
import dev.latchkey.identity.repository.OAuthClientRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Registered clients of the authorization-code flow, managed by operators ({@code /v1/admin/clients}). Every
 * token, introspection and revocation request authenticates its client, so clients are kept in memory for
 * {@link #CACHE_FOR}: a change made on one replica reaches the others within that time (this replica at once).
 */
@ApplicationScoped
public class ClientRegistry {

    static final Duration CACHE_FOR = Duration.ofSeconds(5);
    private static final Pattern CLIENT_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{1,62}");

    /** A client as the flows use it: immutable, without the entity's session. */
    public record Client(String id, String name, boolean isPublic, String secretHash, List<String> redirectUris,
            boolean skipConsent, List<String> resources) {
        static Client of(OAuthClient c) {
            return new Client(c.id, c.name, c.isPublic(), c.secretHash, List.copyOf(c.redirectUriList()), c.skipConsent,
                    List.copyOf(c.resourceList()));
        }

        public boolean allowsRedirect(String uri) {
            return RedirectUris.allowed(redirectUris, uri, isPublic);
        }
    }

    /** A client just created or given a new secret: the only time the secret is seen. */
    public record Created(OAuthClient client, String secret) {
        @Override
        public String toString() {
            return "Created[" + client.id + "]";
        }
    }

    /** Latchkey's first-party clients, registered by migrations (V10: the CLI). */
    static final Set<String> FIRST_PARTY = Set.of("latchkey-cli");

    private final OAuthClientRepository clients;
    private final Set<String> reserved;
    private final GrantRevocations revocations;
    private final Cache<String, Optional<Client>> cache = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(CACHE_FOR).build();

    public ClientRegistry(OAuthClientRepository clients, IdentityConfig config, GrantRevocations revocations) {
        this.clients = clients;
        this.reserved = reserved(config);
        this.revocations = revocations;
    }

    /**
     * Ids no client may be registered under: an ID token's {@code aud} is its client's id, so a client named like
     * the audience Latchkey's services verify would hold ID tokens that pass that check; a client named like one of
     * Latchkey's service or first-party clients could be taken for it in logs, audits and consent pages.
     */
    private static Set<String> reserved(IdentityConfig config) {
        Set<String> ids = new HashSet<>(FIRST_PARTY);
        ids.add(config.audience().toLowerCase(Locale.ROOT));
        ids.add(ServiceTokens.SELF);
        config.clients().keySet().forEach(id -> ids.add(id.toLowerCase(Locale.ROOT)));
        return Set.copyOf(ids);
    }

    /** The client, or empty; from memory when read within {@link #CACHE_FOR}. */
    public Uni<Optional<Client>> find(String clientId) {
        if (clientId == null || clientId.length() > 64) {
            return Uni.createFrom().item(Optional.empty());
        }
        Optional<Client> known = cache.getIfPresent(clientId);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return clients.findById(clientId)
                .map(c -> {
                    Optional<Client> found = Optional.ofNullable(c).map(Client::of);
                    cache.put(clientId, found);
                    return found;
                });
    }

    /**
     * Authenticates a client at the token, introspection or revocation endpoint: a confidential client by its
     * secret (compared as SHA-256 digests, in constant time; also for an unknown id, so timing does not tell ids
     * apart), a public client by its id alone and never with a secret. Every failure is 401 invalid_client.
     */
    public Uni<Client> authenticate(String clientId, String secret) {
        return find(clientId).map(found -> {
            Client client = found.orElse(null);
            boolean secretOk = ClientSecrets.matches(secret == null ? "" : secret,
                    client == null || client.secretHash() == null ? ClientSecrets.hash("\0unknown") : client.secretHash());
            if (client == null) {
                throw OAuthProblem.invalidClient();
            }
            if (client.isPublic() ? secret != null && !secret.isEmpty() : !secretOk) {
                throw OAuthProblem.invalidClient();
            }
            return client;
        });
    }

    public Uni<List<OAuthClient>> list() {
        return clients.listAll(io.quarkus.panache.common.Sort.ascending("id"));
    }

    public Uni<OAuthClient> get(String clientId) {
        return clients.findById(clientId).map(c -> {
            if (c == null) {
                throw ApiException.notFound("Client");
            }
            return c;
        });
    }

    /**
     * Registers a client: 400 validation_failed for a bad id, type, redirect URI or resource, client_id_reserved for
     * an id of {@link #reserved}; 409 client_exists. A confidential client's secret is generated here and returned
     * once.
     */
    public Uni<Created> create(String id, String name, String type, List<String> redirectUris, boolean skipConsent,
            List<String> resources) {
        String clientId = id == null ? null : id.strip().toLowerCase(Locale.ROOT);
        if (clientId == null || !CLIENT_ID.matcher(clientId).matches()) {
            throw ApiException.validation("'client_id' must be 2-63 characters of a-z, 0-9, '.', '_' or '-'");
        }
        if (reserved.contains(clientId)) {
            throw new ApiException(400, "client_id_reserved", "'" + clientId + "' is reserved: it is Latchkey's token "
                    + "audience or one of its own clients");
        }
        if (!OAuthClient.PUBLIC.equals(type) && !OAuthClient.CONFIDENTIAL.equals(type)) {
            throw ApiException.validation("'client_type' must be 'public' or 'confidential'");
        }
        List<String> uris = validUris(redirectUris);
        List<String> audiences = validResources(resources == null ? List.of() : resources);
        String secret = OAuthClient.CONFIDENTIAL.equals(type) ? ClientSecrets.generate() : null;
        OAuthClient client = new OAuthClient();
        client.id = clientId;
        client.name = name == null || name.isBlank() ? clientId : name.strip();
        client.clientType = type;
        client.secretHash = secret == null ? null : ClientSecrets.hash(secret);
        client.redirectUris = String.join("\n", uris);
        client.skipConsent = skipConsent;
        client.resources = String.join("\n", audiences);
        client.createdAt = SessionService.now();
        client.updatedAt = client.createdAt;
        // The cache forgets the id after the commit, so no replica can re-read the row as it was.
        return insert(client).onFailure(ClientRegistry::uniqueViolation).transform(e -> exists(clientId))
                .invoke(c -> cache.invalidate(clientId))
                .map(c -> new Created(c, secret));
    }

    @WithTransaction
    Uni<OAuthClient> insert(OAuthClient client) {
        return clients.findById(client.id).flatMap(existing -> {
            if (existing != null) {
                return Uni.createFrom().failure(exists(client.id));
            }
            return clients.persist(client);
        });
    }

    /**
     * Replaces a confidential client's secret (the old one stops working at once on this replica) and ends the
     * client's grants: a rotation answers a secret that may have leaked, so what was obtained with it goes too.
     */
    public Uni<Created> rotateSecret(String clientId) {
        String secret = ClientSecrets.generate();
        return storeSecret(clientId, ClientSecrets.hash(secret)).invoke(r -> cache.invalidate(clientId))
                .call(r -> revocations.announce(r.revoked()))
                .map(r -> new Created(r.client(), secret));
    }

    private record Rotated(OAuthClient client, GrantRevocations.ClientRevoked revoked) {
    }

    @WithTransaction
    Uni<Rotated> storeSecret(String clientId, String secretHash) {
        return clients.findById(clientId).flatMap(client -> {
            if (client == null) {
                throw ApiException.notFound("Client");
            }
            if (client.isPublic()) {
                throw new ApiException(409, "public_client", "A public client has no secret");
            }
            client.secretHash = secretHash;
            client.updatedAt = SessionService.now();
            return revocations.endGrants(clientId, "client_secret_rotated").map(revoked -> new Rotated(client, revoked));
        });
    }

    /** Changes the name, redirect URIs, consent setting or resources (null: unchanged). */
    public Uni<OAuthClient> update(String clientId, String name, List<String> redirectUris, Boolean skipConsent,
            List<String> resources) {
        List<String> uris = redirectUris == null ? null : validUris(redirectUris);
        List<String> audiences = resources == null ? null : validResources(resources);
        return change(clientId, name, uris, skipConsent, audiences).invoke(c -> cache.invalidate(clientId));
    }

    @WithTransaction
    Uni<OAuthClient> change(String clientId, String name, List<String> uris, Boolean skipConsent,
            List<String> resources) {
        return clients.findById(clientId).map(client -> {
            if (client == null) {
                throw ApiException.notFound("Client");
            }
            if (name != null && !name.isBlank()) {
                client.name = name.strip();
            }
            if (uris != null) {
                client.redirectUris = String.join("\n", uris);
            }
            if (skipConsent != null) {
                client.skipConsent = skipConsent;
            }
            if (resources != null) {
                client.resources = String.join("\n", resources);
            }
            client.updatedAt = SessionService.now();
            return client;
        });
    }

    /** Deletes a client and ends its grants (its sessions, the tokens issued to it), announced after the commit. */
    public Uni<Void> delete(String clientId) {
        return remove(clientId).invoke(x -> cache.invalidate(clientId)).call(revocations::announce).replaceWithVoid();
    }

    @WithTransaction
    Uni<GrantRevocations.ClientRevoked> remove(String clientId) {
        return clients.deleteById(clientId).flatMap(deleted -> {
            if (!deleted) {
                throw ApiException.notFound("Client");
            }
            return revocations.endGrants(clientId, "client_deleted");
        });
    }

    private static List<String> validUris(List<String> redirectUris) {
        if (redirectUris == null || redirectUris.isEmpty()) {
            throw ApiException.validation("'redirect_uris' must list at least one URI");
        }
        if (redirectUris.size() > 20) {
            throw ApiException.validation("'redirect_uris' may list at most 20 URIs");
        }
        List<String> out = new ArrayList<>();
        for (String uri : redirectUris) {
            String why = uri == null ? "is missing" : RedirectUris.registrationRefusal(uri);
            if (why != null) {
                throw ApiException.validation("redirect URI '" + uri + "' " + why);
            }
            if (!out.contains(uri)) {
                out.add(uri);
            }
        }
        return out;
    }

    /** RFC 8707 resources a client may ask for: absolute URIs without a fragment, at most {@link ResourceIndicators#MAX}. */
    private static List<String> validResources(List<String> resources) {
        if (resources.size() > ResourceIndicators.MAX) {
            throw ApiException.validation("'resources' may list at most " + ResourceIndicators.MAX + " URIs");
        }
        List<String> out = new ArrayList<>();
        for (String uri : resources) {
            String why = uri == null ? "is missing" : ResourceIndicators.registrationRefusal(uri);
            if (why != null) {
                throw ApiException.validation("resource '" + uri + "' " + why);
            }
            if (!out.contains(uri)) {
                out.add(uri);
            }
        }
        return out;
    }

    private static ApiException exists(String id) {
        return new ApiException(409, "client_exists", "A client with id '" + id + "' exists already");
    }

    private static boolean uniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("23505")) {
                return true;
            }
        }
        return false;
    }
}
