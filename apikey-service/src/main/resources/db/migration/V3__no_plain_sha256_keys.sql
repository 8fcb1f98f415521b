-- Keys stored as plain SHA-256 (the checksumless lk_ form from before peppers) were never in a release, and
-- verification no longer looks keys up that way: revoke any such row a development database still holds, so that
-- listings do not show a key that can never work, and announce the revocation like any other. New rows always
-- name their pepper, so the column loses its default.
update apikey.api_keys set revoked_at = now(), revocation_announced = false
 where hash_scheme = 'sha256' and (revoked_at is null or revoked_at > now());

alter table apikey.api_keys alter column hash_scheme drop default;
