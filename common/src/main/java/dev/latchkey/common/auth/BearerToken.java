package dev.latchkey.common.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

/**
 * The endpoint needs an authenticated caller: a JWT from identity-service, or an API key, in
 * {@code Authorization: Bearer}, or a key in {@code X-API-Key} (or a configured alias header). Without one it
 * answers 401 {@code auth_required}; a token of an ended session 401; an account awaiting approval 403
 * {@code alpha_pending} (see {@link BearerTokenAllowingPending}); a key over its rate limit 429. The resource
 * reads the caller with {@link Caller#require(io.vertx.ext.web.RoutingContext)} from a
 * {@code @Context RoutingContext} parameter and authorizes with {@link Authz}.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface BearerToken {
}
