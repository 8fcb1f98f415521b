package dev.latchkey.tenant.rest;

import java.util.List;

import jakarta.inject.Singleton;

import dev.latchkey.common.auth.VerifiedToken;
import dev.latchkey.common.error.ApiException;
import dev.latchkey.common.error.RequestIds;
import dev.latchkey.common.net.ClientAddresses;
import dev.latchkey.tenant.config.TenantConfig;
import dev.latchkey.tenant.policy.Cursors;
import dev.latchkey.tenant.service.Actor;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/** What resources read from a request besides its body: who and from where (for the audit log), paging. */
@Singleton
public class Requests {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    private final ClientAddresses addresses;

    public Requests(TenantConfig config) {
        this.addresses = new ClientAddresses(config.trustedProxies().orElse(List.of()));
    }

    /** The audit log's actor: the caller (null: anonymous), its client address and the request's id. */
    public Actor actor(RoutingContext context, VerifiedToken caller) {
        SocketAddress peer = context.request().remoteAddress();
        String address = addresses.resolve(peer == null ? null : peer.hostAddress(),
                context.request().getHeader("X-Forwarded-For"));
        return Actor.of(caller, address, RequestIds.fromHeader(context.request().getHeader(RequestIds.HEADER)));
    }

    /** {@code limit}: 1 to 200, 50 when absent; anything else is 400. */
    static int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit.strip());
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.validation("'limit' must be a number from 1 to " + MAX_LIMIT);
    }

    static Cursors.TimeAndId timeCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        Cursors.TimeAndId position = Cursors.timeAndId(cursor);
        if (position == null) {
            throw ApiException.validation("'cursor' is not a cursor this endpoint gave out");
        }
        return position;
    }

    static Long idCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        Long id = Cursors.id(cursor);
        if (id == null) {
            throw ApiException.validation("'cursor' is not a cursor this endpoint gave out");
        }
        return id;
    }
}
