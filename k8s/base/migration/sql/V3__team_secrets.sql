-- Team secrets (issue 20). Values are stored only as AES-256-GCM ciphertext under a key that the
-- database never sees (MINITOWER_SECRETS_KEY, given to api-service and runner-service only);
-- key_id names that key so it can be rotated. The associated data of each ciphertext binds it to
-- (team, name, environment): a row copied to another team or name does not decrypt.
CREATE TABLE team_secrets (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id     bigint      NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    name        text        NOT NULL,
    -- NULL: every environment of the team; else only runs of this environment (it wins over NULL).
    environment text,
    key_id      text        NOT NULL,
    nonce       bytea       NOT NULL,
    ciphertext  bytea       NOT NULL,
    -- Keyed digest (HMAC under a key derived from the secrets key), so it reveals nothing guessable.
    fingerprint text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT team_secrets_name_format CHECK (name ~ '^[A-Za-z_][A-Za-z0-9_]{0,127}$'),
    CONSTRAINT team_secrets_environment_format CHECK (
        environment IS NULL OR environment ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
    CONSTRAINT team_secrets_key_id_format CHECK (key_id ~ '^[0-9a-f]{16}$'),
    CONSTRAINT team_secrets_nonce_length CHECK (octet_length(nonce) = 12),
    CONSTRAINT team_secrets_fingerprint_format CHECK (fingerprint ~ '^[0-9a-f]{16}$')
);
CREATE UNIQUE INDEX team_secrets_team_name_env_uq ON team_secrets (team_id, name, COALESCE(environment, ''));
-- Serves re-encryption and the start-up check (which key ids are still in use).
CREATE INDEX team_secrets_key_id_idx ON team_secrets (key_id);

-- The secret names a version's Towerfile declares ([app].secrets); a run of it receives exactly these.
ALTER TABLE app_versions ADD COLUMN secret_names text[] NOT NULL DEFAULT '{}';

-- Which secret names (never values) each attempt received at lease time.
CREATE TABLE run_attempt_secrets (
    attempt_id   bigint PRIMARY KEY REFERENCES run_attempts (id) ON DELETE CASCADE,
    secret_names text[] NOT NULL
);
