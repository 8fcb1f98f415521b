package dev.latchkey.common.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

/**
 * Like {@link BearerToken}, but an account awaiting an operator's approval may call it too (access gating: such
 * accounts can sign in and see who they are, nothing else). For {@code GET /v1/me} and the like.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface BearerTokenAllowingPending {
}
