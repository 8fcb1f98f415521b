package dev.latchkey.common.auth;

/** Scopes that Latchkey services grant each other. Tenants' API keys can never carry these. */
public final class Scopes {
    /** Prefix reserved for service-to-service scopes. */
    public static final String INTERNAL_PREFIX = "internal:";
    public static final String API_KEYS_VERIFY = "internal:apikeys.verify";
    public static final String API_KEYS_CREATE = "internal:apikeys.create";
    /** Lets an operator create organizations when self-service creation is switched off. */
    public static final String TENANTS_CREATE = "internal:tenants.create";

    /** The claim that tells a service token from a tenant's token. */
    public static final String TOKEN_USE_CLAIM = "token_use";
    public static final String TOKEN_USE_SERVICE = "service";
    public static final String TOKEN_USE_ACCESS = "access";
    public static final String TENANT_ID_CLAIM = "tenant_id";

    private Scopes() {
    }
}
