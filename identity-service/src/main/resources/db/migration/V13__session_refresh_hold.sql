-- A refresh that rotated a session's token but could not answer (tenant-service unavailable, say) handed its new
-- token to nobody: until this time the token it rotated stays accepted as the previous one (as within the grace
-- window), so the client's retry gets a token instead of ending the session as a replay. The next rotation clears
-- it. Null: no such hold.
alter table identity.sessions add column refresh_grace_until timestamptz;
