-- When the runner's current token was issued. A registration may take an existing name over only
-- while that token has not been used since it was issued or has been silent for a lease TTL, which
-- stops two agents with one name from invalidating each other forever (original gap 2).
ALTER TABLE runners ADD COLUMN token_issued_at timestamptz NOT NULL DEFAULT now();
