package dev.latchkey.tenant.domain;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/** The key of a {@link Membership}: one row per organization and user. */
public class MembershipId implements Serializable {

    public UUID organizationId;
    public UUID userId;

    public MembershipId() {
    }

    public MembershipId(UUID organizationId, UUID userId) {
        this.organizationId = organizationId;
        this.userId = userId;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MembershipId id && Objects.equals(organizationId, id.organizationId)
                && Objects.equals(userId, id.userId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(organizationId, userId);
    }
}
