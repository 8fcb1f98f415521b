-- Signing keys. The private key is AES-256-GCM encrypted under the KEK from configuration, with the kid as
-- associated data; the public key is X.509 DER. Status follows Keycloak: ACTIVE signs, PASSIVE only
-- verifies, DISABLED is neither used nor published.
create table identity.signing_keys (
    kid             text        primary key,
    algorithm       text        not null,
    status          text        not null check (status in ('ACTIVE', 'PASSIVE', 'DISABLED')),
    priority        integer     not null default 100,
    public_key      bytea       not null,
    private_key_enc bytea       not null,
    created_at      timestamptz not null default now()
);
