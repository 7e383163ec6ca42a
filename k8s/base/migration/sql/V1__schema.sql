-- MiniTower schema (PostgreSQL 15+). One history for every service; applied by Flyway at start.
-- Designed from shared/spec/runs.md and DESIGN.md §3. Times are timestamptz, ids bigint identity.
-- Status columns carry CHECK constraints; "finished iff terminal" is a CHECK on runs and attempts.

CREATE TABLE teams (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug          text        NOT NULL,
    name          text        NOT NULL,
    password_hash text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT teams_slug_uq UNIQUE (slug),
    CONSTRAINT teams_slug_format CHECK (slug ~ '^[a-z][a-z0-9-]{2,31}$'),
    CONSTRAINT teams_name_length CHECK (char_length(name) BETWEEN 1 AND 200)
);

CREATE TABLE team_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id      bigint      NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    token_hash   text        NOT NULL,
    name         text,
    role         text        NOT NULL DEFAULT 'admin',
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    expires_at   timestamptz,
    revoked_at   timestamptz,
    CONSTRAINT team_tokens_token_hash_uq UNIQUE (token_hash),
    CONSTRAINT team_tokens_hash_format CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT team_tokens_role_check CHECK (role IN ('admin', 'member')),
    CONSTRAINT team_tokens_name_length CHECK (name IS NULL OR char_length(name) <= 200)
);
CREATE INDEX team_tokens_team_idx ON team_tokens (team_id, id);

CREATE TABLE environments (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id    bigint      NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    name       text        NOT NULL,
    is_default boolean     NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT environments_team_name_uq UNIQUE (team_id, name),
    -- Target of the runs composite FK: a run's environment belongs to its team and its name is copied.
    CONSTRAINT environments_id_team_name_uq UNIQUE (id, team_id, name),
    CONSTRAINT environments_name_format CHECK (name ~ '^[a-z0-9][a-z0-9_.-]{0,62}$')
);
CREATE UNIQUE INDEX environments_one_default_per_team ON environments (team_id) WHERE is_default;

CREATE TABLE apps (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id     bigint      NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    slug        text        NOT NULL,
    description text,
    disabled    boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT apps_team_slug_uq UNIQUE (team_id, slug),
    CONSTRAINT apps_id_team_uq UNIQUE (id, team_id),
    CONSTRAINT apps_slug_format CHECK (slug ~ '^[a-z][a-z0-9-]{2,31}$')
);

-- Content-addressed artifact store: one row per distinct SHA-256, bytes in ordered chunks so that
-- uploads and downloads stream and every replica can read them without a shared disk.
CREATE TABLE artifacts (
    sha256      text        PRIMARY KEY,
    size_bytes  bigint      NOT NULL,
    chunk_count integer     NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT artifacts_sha_format CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    CONSTRAINT artifacts_size_check CHECK (size_bytes >= 0),
    CONSTRAINT artifacts_chunks_check CHECK (chunk_count >= 0)
);

CREATE TABLE artifact_chunks (
    artifact_sha256 text    NOT NULL REFERENCES artifacts (sha256) ON DELETE CASCADE,
    chunk_no        integer NOT NULL,
    data            bytea   NOT NULL,
    PRIMARY KEY (artifact_sha256, chunk_no),
    CONSTRAINT artifact_chunks_no_check CHECK (chunk_no >= 0)
);

CREATE TABLE app_versions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    app_id          bigint      NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    version_no      integer     NOT NULL,
    artifact_sha256 text        NOT NULL REFERENCES artifacts (sha256),
    artifact_size   bigint      NOT NULL,
    entrypoint      text        NOT NULL,
    timeout_seconds integer,
    params_schema   jsonb,
    towerfile_toml  text        NOT NULL,
    import_paths    jsonb       NOT NULL DEFAULT '[]'::jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT app_versions_app_no_uq UNIQUE (app_id, version_no),
    CONSTRAINT app_versions_id_app_uq UNIQUE (id, app_id),
    CONSTRAINT app_versions_no_check CHECK (version_no > 0),
    CONSTRAINT app_versions_timeout_check CHECK (timeout_seconds IS NULL OR timeout_seconds > 0),
    CONSTRAINT app_versions_schema_object CHECK (params_schema IS NULL OR jsonb_typeof(params_schema) = 'object'),
    CONSTRAINT app_versions_import_paths_array CHECK (jsonb_typeof(import_paths) = 'array')
);
CREATE INDEX app_versions_artifact_idx ON app_versions (artifact_sha256);

CREATE TABLE schedules (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id          bigint      NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    app_id           bigint      NOT NULL,
    name             text        NOT NULL,
    cron             text        NOT NULL,
    timezone         text        NOT NULL DEFAULT 'UTC',
    environment_name text        NOT NULL DEFAULT 'default',
    version_no       integer,
    input            jsonb,
    priority         integer     NOT NULL DEFAULT 0,
    max_retries      integer     NOT NULL DEFAULT 0,
    enabled          boolean     NOT NULL DEFAULT true,
    overlap_policy   text        NOT NULL DEFAULT 'allow',
    catchup_policy   text        NOT NULL DEFAULT 'none',
    catchup_max      integer     NOT NULL DEFAULT 10,
    next_fire_at     timestamptz,
    last_fired_at    timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (app_id, team_id) REFERENCES apps (id, team_id) ON DELETE CASCADE,
    CONSTRAINT schedules_app_name_uq UNIQUE (app_id, name),
    CONSTRAINT schedules_overlap_check CHECK (overlap_policy IN ('allow', 'skip')),
    CONSTRAINT schedules_catchup_check CHECK (catchup_policy IN ('none', 'last', 'all')),
    CONSTRAINT schedules_catchup_max_check CHECK (catchup_max BETWEEN 1 AND 1000),
    CONSTRAINT schedules_input_object CHECK (input IS NULL OR jsonb_typeof(input) = 'object'),
    CONSTRAINT schedules_retries_check CHECK (max_retries BETWEEN 0 AND 100)
);
CREATE INDEX schedules_due_idx ON schedules (next_fire_at) WHERE enabled;

CREATE TABLE runs (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id          bigint      NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    app_id           bigint      NOT NULL,
    app_version_id   bigint      NOT NULL,
    environment_id   bigint      NOT NULL,
    -- Copied from environments.name (enforced by the composite FK) so the lease query has one index.
    environment_name text        NOT NULL,
    schedule_id      bigint      REFERENCES schedules (id) ON DELETE SET NULL,
    run_no           bigint      NOT NULL,
    input            jsonb,
    status           text        NOT NULL DEFAULT 'queued',
    priority         integer     NOT NULL DEFAULT 0,
    max_retries      integer     NOT NULL DEFAULT 0,
    retry_count      integer     NOT NULL DEFAULT 0,
    retry_on_failure boolean     NOT NULL DEFAULT false,
    cancel_requested boolean     NOT NULL DEFAULT false,
    idempotency_key  text,
    request_hash     text,
    -- Not leasable before this instant (retry backoff). Compared with the database clock.
    available_at     timestamptz NOT NULL DEFAULT now(),
    queued_at        timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    -- Last lifecycle event sequence number written to the outbox for this run.
    event_seq        integer     NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (app_id, team_id) REFERENCES apps (id, team_id) ON DELETE CASCADE,
    FOREIGN KEY (app_version_id, app_id) REFERENCES app_versions (id, app_id),
    FOREIGN KEY (environment_id, team_id, environment_name) REFERENCES environments (id, team_id, name),
    CONSTRAINT runs_app_run_no_uq UNIQUE (app_id, run_no),
    CONSTRAINT runs_status_check CHECK (status IN ('queued', 'leased', 'running', 'cancelling',
                                                   'completed', 'failed', 'cancelled', 'dead')),
    CONSTRAINT runs_finished_iff_terminal CHECK (
        (status IN ('completed', 'failed', 'cancelled', 'dead')) = (finished_at IS NOT NULL)),
    CONSTRAINT runs_run_no_check CHECK (run_no > 0),
    CONSTRAINT runs_priority_check CHECK (priority BETWEEN -1000000 AND 1000000),
    CONSTRAINT runs_max_retries_check CHECK (max_retries BETWEEN 0 AND 100),
    CONSTRAINT runs_retry_count_check CHECK (retry_count >= 0 AND retry_count <= max_retries),
    CONSTRAINT runs_input_object CHECK (input IS NULL OR jsonb_typeof(input) = 'object'),
    CONSTRAINT runs_idempotency_key_length CHECK (idempotency_key IS NULL OR char_length(idempotency_key) <= 255)
);
-- Serves the lease claim: WHERE environment_name = ? AND status = 'queued' AND NOT cancel_requested
-- ORDER BY priority DESC, queued_at, id ... FOR UPDATE SKIP LOCKED.
CREATE INDEX runs_lease_pick_idx ON runs (environment_name, priority DESC, queued_at, id)
    WHERE status = 'queued' AND NOT cancel_requested;
CREATE UNIQUE INDEX runs_idempotency_uq ON runs (team_id, app_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX runs_app_list_idx ON runs (app_id, run_no DESC);
CREATE INDEX runs_team_list_idx ON runs (team_id, queued_at DESC);
CREATE INDEX runs_team_status_idx ON runs (team_id, status);
CREATE INDEX runs_schedule_active_idx ON runs (schedule_id)
    WHERE schedule_id IS NOT NULL AND status IN ('queued', 'leased', 'running', 'cancelling');
CREATE INDEX runs_finished_idx ON runs (finished_at) WHERE finished_at IS NOT NULL;

-- A team's own runner registration tokens (team-scoped runners); the platform token lives in config.
CREATE TABLE runner_registration_tokens (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id    bigint      NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    token_hash text        NOT NULL,
    name       text,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    revoked_at timestamptz,
    CONSTRAINT runner_registration_tokens_hash_uq UNIQUE (token_hash),
    CONSTRAINT runner_registration_tokens_hash_format CHECK (token_hash ~ '^[0-9a-f]{64}$')
);

CREATE TABLE runners (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- NULL: a platform runner that serves every team (as in the original); else serves only this team.
    team_id        bigint      REFERENCES teams (id) ON DELETE CASCADE,
    name           text        NOT NULL,
    environment    text        NOT NULL DEFAULT 'default',
    labels         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    token_hash     text        NOT NULL,
    status         text        NOT NULL DEFAULT 'online',
    max_concurrent integer     NOT NULL DEFAULT 1,
    last_seen_at   timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT runners_token_hash_uq UNIQUE (token_hash),
    CONSTRAINT runners_token_hash_format CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT runners_status_check CHECK (status IN ('online', 'offline')),
    CONSTRAINT runners_max_concurrent_check CHECK (max_concurrent BETWEEN 1 AND 256),
    CONSTRAINT runners_name_length CHECK (char_length(name) BETWEEN 1 AND 128),
    CONSTRAINT runners_labels_object CHECK (jsonb_typeof(labels) = 'object')
);
-- Names are unique per scope: platform-wide for platform runners, per team for team runners.
CREATE UNIQUE INDEX runners_platform_name_uq ON runners (name) WHERE team_id IS NULL;
CREATE UNIQUE INDEX runners_team_name_uq ON runners (team_id, name) WHERE team_id IS NOT NULL;
CREATE INDEX runners_liveness_idx ON runners (status, last_seen_at);

CREATE TABLE run_attempts (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id           bigint      NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    attempt_no       integer     NOT NULL,
    runner_id        bigint      NOT NULL REFERENCES runners (id),
    lease_token_hash text        NOT NULL,
    lease_expires_at timestamptz NOT NULL,
    status           text        NOT NULL DEFAULT 'leased',
    exit_code        integer,
    error_message    text,
    -- The run's queued_at when this attempt leased it: queue wait = started_at - queued_at, never negative.
    queued_at        timestamptz NOT NULL,
    leased_at        timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT run_attempts_run_no_uq UNIQUE (run_id, attempt_no),
    CONSTRAINT run_attempts_no_check CHECK (attempt_no > 0),
    CONSTRAINT run_attempts_hash_format CHECK (lease_token_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT run_attempts_status_check CHECK (status IN ('leased', 'running', 'cancelling',
                                                           'completed', 'failed', 'cancelled', 'expired')),
    CONSTRAINT run_attempts_finished_iff_terminal CHECK (
        (status IN ('completed', 'failed', 'cancelled', 'expired')) = (finished_at IS NOT NULL)),
    CONSTRAINT run_attempts_error_length CHECK (error_message IS NULL OR char_length(error_message) <= 4096)
);
-- The core safety net: at most one live attempt per run.
CREATE UNIQUE INDEX run_attempts_active_run_uq ON run_attempts (run_id)
    WHERE status IN ('leased', 'running', 'cancelling');
-- Serves the reaper: live attempts by expiry.
CREATE INDEX run_attempts_expiry_idx ON run_attempts (lease_expires_at)
    WHERE status IN ('leased', 'running', 'cancelling');
-- Serves the per-runner concurrency check and the batch heartbeat.
CREATE INDEX run_attempts_runner_active_idx ON run_attempts (runner_id)
    WHERE status IN ('leased', 'running', 'cancelling');
CREATE INDEX run_attempts_runner_idx ON run_attempts (runner_id);

CREATE TABLE run_logs (
    attempt_id bigint      NOT NULL REFERENCES run_attempts (id) ON DELETE CASCADE,
    seq        bigint      NOT NULL,
    run_id     bigint      NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    attempt_no integer     NOT NULL,
    stream     text        NOT NULL,
    line       text        NOT NULL,
    logged_at  timestamptz NOT NULL,
    PRIMARY KEY (attempt_id, seq),
    CONSTRAINT run_logs_seq_check CHECK (seq > 0),
    CONSTRAINT run_logs_stream_check CHECK (stream IN ('stdout', 'stderr')),
    CONSTRAINT run_logs_line_length CHECK (octet_length(line) <= 8192)
);
CREATE INDEX run_logs_run_idx ON run_logs (run_id, attempt_no, seq);

-- Every fired or skipped cron tick, once: the primary key makes replicas fire a tick at most once.
CREATE TABLE schedule_ticks (
    schedule_id bigint      NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    tick_at     timestamptz NOT NULL,
    outcome     text        NOT NULL,
    run_id      bigint      REFERENCES runs (id) ON DELETE SET NULL,
    reason      text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (schedule_id, tick_at),
    CONSTRAINT schedule_ticks_outcome_check CHECK (outcome IN ('fired', 'skipped', 'failed'))
);

-- Transactional outbox: written in the same transaction as the state change, published by the relay.
CREATE TABLE outbox (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id     uuid        NOT NULL,
    topic        text        NOT NULL,
    message_key  text        NOT NULL,
    event_type   text        NOT NULL,
    payload      jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz,
    CONSTRAINT outbox_event_id_uq UNIQUE (event_id)
);
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_published_idx ON outbox (published_at) WHERE published_at IS NOT NULL;

-- Idempotent consumers: a row per (consumer, event id), written in the effect's transaction.
CREATE TABLE processed_events (
    consumer     text        NOT NULL,
    event_id     uuid        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
