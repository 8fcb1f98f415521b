package dev.latchkey.identity.rest;

import java.util.List;

import jakarta.inject.Singleton;

import dev.latchkey.common.net.ClientAddresses;
import dev.latchkey.identity.config.IdentityConfig;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * The address a request comes from, for the sign-in and user-code limits and a session's "last used from": the
 * socket's peer, or the client {@code X-Forwarded-For} names when the peer is a trusted proxy
 * ({@code latchkey.identity.trusted-proxies}).
 */
@Singleton
public class ClientAddress {

    private final ClientAddresses addresses;

    public ClientAddress(IdentityConfig config) {
        this.addresses = new ClientAddresses(config.trustedProxies().orElse(List.of()));
    }

    /** The client's address, or null when the request has none. */
    public String of(RoutingContext routing) {
        SocketAddress peer = routing == null ? null : routing.request().remoteAddress();
        if (peer == null) {
            return null;
        }
        return addresses.resolve(peer.hostAddress(), routing.request().getHeader("X-Forwarded-For"));
    }
}
