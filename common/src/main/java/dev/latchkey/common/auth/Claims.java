package dev.latchkey.common.auth;

/**
 * Latchkey's token vocabulary, defined once: the claim names and {@code token_use} values of the access tokens
 * identity-service signs and every service verifies. As in smallrye-jwt, building and reading stay apart on this
 * one vocabulary: identity-service's {@code token} package writes these claims, {@link VerifiedToken} reads them.
 * A new claim is a constant here, one line where identity assembles it and one where {@link VerifiedToken} reads it.
 */
public final class Claims {

    // Registered claims (RFC 7519 §4.1), set on every token.
    public static final String ISSUER = "iss";
    /** A user id, {@code apikey:<key id>} or {@code service:<client id>}. */
    public static final String SUBJECT = "sub";
    public static final String AUDIENCE = "aud";
    public static final String EXPIRES_AT = "exp";
    public static final String ISSUED_AT = "iat";
    public static final String TOKEN_ID = "jti";

    // Latchkey's access-token claims.
    /** The organization the token acts in; absent from a service token. */
    public static final String TENANT_ID = "tenant_id";
    /** Space-separated scopes (smallrye-jwt reads them as {@link #GROUPS}: {@code smallrye.jwt.path.groups}). */
    public static final String SCOPE = "scope";
    /**
     * The OAuth client a person's token was issued to (RFC 9068 §2.2), through a grant at the token endpoint; absent
     * from a first-party sign-in's token. A token with it opens only what its {@link #SCOPE} names
     * ({@link ClientScopes}).
     */
    public static final String CLIENT_ID = "client_id";
    /** {@link #ACCESS} or {@link #SERVICE}: tells a tenant's token from a Latchkey service's. */
    public static final String TOKEN_USE = "token_use";
    /** The caller's roles in its organization (a list of {@code owner}, {@code admin}, {@code member}). */
    public static final String ROLES = "roles";
    /** The session a person's token belongs to. */
    public static final String SESSION_ID = "sid";
    public static final String EMAIL = "email";
    public static final String EMAIL_VERIFIED = "email_verified";
    /** {@code true} on an account awaiting an operator's approval; absent otherwise. */
    public static final String PENDING = "pending";
    /** The API key a token was exchanged from. */
    public static final String KEY_ID = "key_id";
    /** The key's capability ({@code read_only}, {@code read_write}…). */
    public static final String CAPABILITY = "capability";
    /** The key's reach: {@code {"type": "project", "ids": [...]}}. */
    public static final String RESOURCE_SCOPE = "resource_scope";
    public static final String RESOURCE_SCOPE_TYPE = "type";
    public static final String RESOURCE_SCOPE_IDS = "ids";
    /** The key's own limit: {@code {"per_minute": n, "burst": m}}; absent when it has none. */
    public static final String RATE_LIMIT = "rate_limit";
    public static final String RATE_LIMIT_PER_MINUTE = "per_minute";
    public static final String RATE_LIMIT_BURST = "burst";

    // OpenID Connect ID-token claims (Core §2), never on an access token.
    public static final String AUTHORIZED_PARTY = "azp";
    public static final String AUTH_TIME = "auth_time";
    public static final String NONCE = "nonce";
    public static final String NAME = "name";
    public static final String ACCESS_TOKEN_HASH = "at_hash";

    // Names smallrye-jwt gives its principal's claims.
    /** The scopes as a set (from {@link #SCOPE}). */
    public static final String GROUPS = "groups";
    /** The compact token itself, which {@link VerifiedToken} never keeps. */
    public static final String RAW_TOKEN = "raw_token";

    // Values of {@link #TOKEN_USE}.
    /** A token for tenants' callers: people and API keys. */
    public static final String ACCESS = "access";
    /** A token between Latchkey services (client credentials). */
    public static final String SERVICE = "service";

    /** How {@link #SUBJECT} names an API key ({@code apikey:<key id>}). */
    public static final String API_KEY_SUBJECT_PREFIX = "apikey:";
    /** How {@link #SUBJECT} names a Latchkey service ({@code service:<client id>}). */
    public static final String SERVICE_SUBJECT_PREFIX = "service:";

    private Claims() {
    }
}
