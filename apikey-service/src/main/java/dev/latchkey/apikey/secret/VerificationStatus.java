package dev.latchkey.apikey.secret;

/** The outcome of looking a stored key up: a status, not an exception, as callers branch on it. */
public enum VerificationStatus {
    VALID,
    NOT_FOUND,
    REVOKED,
    EXPIRED;

    public boolean valid() {
        return this == VALID;
    }
}
