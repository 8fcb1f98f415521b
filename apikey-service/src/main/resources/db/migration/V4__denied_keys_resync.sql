-- Every instance of every service reloads the keys that stopped working within the revocation window from here
-- when it (re)subscribes to revocations (GET /internal/v1/keys/denied): PostgreSQL is the record of revocations,
-- Redis only carries their announcements. Partial indexes: most keys are never revoked and never expire.
create index api_keys_revoked_at_idx on apikey.api_keys (revoked_at) where revoked_at is not null;
create index api_keys_expires_at_idx on apikey.api_keys (expires_at) where expires_at is not null;
