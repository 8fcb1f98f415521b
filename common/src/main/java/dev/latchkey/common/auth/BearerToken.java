package dev.latchkey.common.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

/**
 * The endpoint needs a valid bearer token: without one it answers 401 {@code auth_required}. The resource
 * reads the verified token with {@link Caller#require(io.vertx.ext.web.RoutingContext)} from a
 * {@code @Context RoutingContext} parameter.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface BearerToken {
}
