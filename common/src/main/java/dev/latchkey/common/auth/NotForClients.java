package dev.latchkey.common.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@link BearerToken} endpoint that no scope opens to an OAuth client's token, with the reason the refusal gives.
 * Every endpoint without {@link ClientScope} is closed to clients anyway; this only says why.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface NotForClients {

    /** Why, for the refusal's message. */
    String value();
}
