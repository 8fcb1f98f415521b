package dev.latchkey.identity.keys;

/** Lifecycle of a signing key, as in Keycloak. */
public enum KeyStatus {
    /** Signs new tokens and verifies. */
    ACTIVE,
    /** Verifies only: kept published until every token it signed has expired. */
    PASSIVE,
    /** No longer published: every token it signed has expired. */
    RETIRED
}
