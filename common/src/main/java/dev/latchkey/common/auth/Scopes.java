package dev.latchkey.common.auth;

/** Scopes that Latchkey services grant each other. Tenants' API keys can never carry these. */
public final class Scopes {
    /** Prefix reserved for service-to-service scopes. */
    public static final String INTERNAL_PREFIX = "internal:";
    public static final String API_KEYS_VERIFY = "internal:apikeys.verify";
    public static final String API_KEYS_CREATE = "internal:apikeys.create";
    /** Revokes every key of an organization (tenant-service, when an organization is deleted). */
    public static final String API_KEYS_REVOKE = "internal:apikeys.revoke";
    /** Asks identity whether sessions are active (every service, for revocation resync). */
    public static final String SESSIONS_READ = "internal:sessions.read";
    /** Ends sessions (tenant-service: an organization deleted, a member removed). */
    public static final String SESSIONS_END = "internal:sessions.end";
    /** Reads memberships and roles from tenant-service (identity, at sign-in, refresh and switch). */
    public static final String MEMBERSHIPS_READ = "internal:memberships.read";
    /** Creates personal organizations and honours invitations at sign-up (identity). */
    public static final String MEMBERSHIPS_WRITE = "internal:memberships.write";
    /** Appends to an organization's audit log in tenant-service (apikey-service, webhook-gateway, identity). */
    public static final String AUDIT_WRITE = "internal:audit.write";
    /** Operator actions: approving accounts, rotating signing keys, managing OAuth clients. */
    public static final String ADMIN = "internal:admin";
    /** Lets an operator create organizations when self-service creation is switched off. */
    public static final String TENANTS_CREATE = "internal:tenants.create";

    private Scopes() {
    }
}
