-- Hot path (issue 16).
--
-- 1. Run numbers without serialising producers. run_no was max(run_no) + 1 under a lock on the app
--    row held across the creating transaction's commit, so one app took at most one create per
--    commit flush. Each app now has its own sequence, app_run_no_<app id>, created and dropped with
--    the app by triggers; nextval() takes no lock that lives until commit. A create that fails after
--    nextval (a lost idempotency race, a constraint) leaves a gap in the numbers of that app.
CREATE FUNCTION minitower_app_run_no_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- DROP first: a table emptied with TRUNCATE ... RESTART IDENTITY reuses ids.
    EXECUTE format('DROP SEQUENCE IF EXISTS %I.%I', TG_TABLE_SCHEMA, 'app_run_no_' || NEW.id);
    EXECUTE format('CREATE SEQUENCE %I.%I', TG_TABLE_SCHEMA, 'app_run_no_' || NEW.id);
    RETURN NEW;
  END IF;
  EXECUTE format('DROP SEQUENCE IF EXISTS %I.%I', TG_TABLE_SCHEMA, 'app_run_no_' || OLD.id);
  RETURN OLD;
END
$$;

CREATE TRIGGER apps_run_no_seq_create AFTER INSERT ON apps
  FOR EACH ROW EXECUTE FUNCTION minitower_app_run_no_seq();
CREATE TRIGGER apps_run_no_seq_drop AFTER DELETE ON apps
  FOR EACH ROW EXECUTE FUNCTION minitower_app_run_no_seq();

DO $$
DECLARE
  a record;
BEGIN
  FOR a IN SELECT ap.id, (SELECT max(r.run_no) FROM runs r WHERE r.app_id = ap.id) AS last FROM apps ap LOOP
    EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I', 'app_run_no_' || a.id);
    IF a.last IS NOT NULL THEN
      PERFORM setval(('app_run_no_' || a.id)::regclass, a.last);
    END IF;
  END LOOP;
END
$$;

-- 2. runner-service caches runner tokens (no database round trip per runner call). Every change
--    that can end or alter a runner's authentication announces the runner id at commit, so each
--    replica drops its cached entry at once.
CREATE FUNCTION minitower_runner_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('minitower_runner_auth', OLD.id::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER runners_auth_changed AFTER UPDATE ON runners
  FOR EACH ROW WHEN (OLD.token_hash IS DISTINCT FROM NEW.token_hash
    OR OLD.status IS DISTINCT FROM NEW.status
    OR OLD.environment IS DISTINCT FROM NEW.environment
    OR OLD.max_concurrent IS DISTINCT FROM NEW.max_concurrent
    OR OLD.team_id IS DISTINCT FROM NEW.team_id
    OR OLD.name IS DISTINCT FROM NEW.name)
  EXECUTE FUNCTION minitower_runner_auth_changed();
CREATE TRIGGER runners_auth_deleted AFTER DELETE ON runners
  FOR EACH ROW EXECUTE FUNCTION minitower_runner_auth_changed();

-- 3. api-service caches team tokens the same way: revoking a token, changing its role or expiry,
--    or deleting it (also through its team) announces the token id at commit.
CREATE FUNCTION minitower_team_token_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('minitower_team_token_changed', OLD.id::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER team_tokens_auth_changed AFTER UPDATE ON team_tokens
  FOR EACH ROW WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at
    OR OLD.role IS DISTINCT FROM NEW.role
    OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
    OR OLD.token_hash IS DISTINCT FROM NEW.token_hash
    OR OLD.team_id IS DISTINCT FROM NEW.team_id)
  EXECUTE FUNCTION minitower_team_token_changed();
CREATE TRIGGER team_tokens_auth_deleted AFTER DELETE ON team_tokens
  FOR EACH ROW EXECUTE FUNCTION minitower_team_token_changed();
