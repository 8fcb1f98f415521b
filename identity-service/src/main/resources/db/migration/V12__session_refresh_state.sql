-- Refresh tokens of the second form (SessionRefreshTokens) name their session and generation, and the session row
-- holds all the state a rotation needs: one update of one row (no index touched, so PostgreSQL updates it in place,
-- "HOT"), where the first form inserted a token row, updated the rotated one and the session. Only SHA-256 hashes
-- (hex) are stored, as for the first form.
alter table identity.sessions
    add column refresh_generation     integer,     -- null: the session started with a first-form token
    add column refresh_hash           text,        -- the current token
    add column refresh_sibling_hashes text[],     -- more current tokens: issued for sends of the previous one within the grace window
    add column refresh_previous_hash  text,        -- the token rotated last (a double send of it is tolerated)
    add column refreshed_at           timestamptz; -- when it was rotated
