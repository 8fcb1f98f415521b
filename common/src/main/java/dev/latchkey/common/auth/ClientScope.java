package dev.latchkey.common.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Opens a {@link BearerToken} endpoint (a method, or every method of a class) to a token issued to an OAuth client
 * that holds {@link #value()} in its scope ({@link ClientScopes}). Without it, such a token is refused: 403
 * {@code scope_insufficient}, deny by default. A method's annotation wins over its class's. Tokens without a client
 * (first-party sign-ins, API keys, services) are not concerned.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface ClientScope {

    /** The scope that opens the endpoint, one of {@link ClientScopes}. */
    String value();
}
