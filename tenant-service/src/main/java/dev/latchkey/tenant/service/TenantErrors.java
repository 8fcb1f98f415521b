package dev.latchkey.tenant.service;

import dev.latchkey.common.error.ApiException;

/** tenant-service's own error codes (the shared ones are in latchkey-common's ErrorCodes). */
public final class TenantErrors {

    public static final String SLUG_TAKEN = "slug_taken";
    public static final String LAST_OWNER = "last_owner";
    public static final String PERSONAL_ORGANIZATION = "personal_organization";
    public static final String ALREADY_MEMBER = "already_member";
    public static final String INVITATION_PENDING = "invitation_pending";
    public static final String INVITATION_EMAIL_MISMATCH = "invitation_email_mismatch";
    public static final String INVITATION_USED = "invitation_used";
    public static final String INVITATION_EXPIRED = "invitation_expired";

    private TenantErrors() {
    }

    static ApiException slugTaken(String slug) {
        return new ApiException(409, SLUG_TAKEN, "The slug '" + slug + "' is taken by another organization");
    }

    static ApiException lastOwner() {
        return new ApiException(409, LAST_OWNER,
                "An organization keeps at least one owner: make someone else an owner first");
    }

    static ApiException personal(String what) {
        return new ApiException(409, PERSONAL_ORGANIZATION, "A personal organization " + what);
    }
}
