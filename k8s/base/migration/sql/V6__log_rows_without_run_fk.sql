-- Hot path, second round (issue 16). Every stored log line checked its run through the foreign key
-- run_logs.run_id -> runs: a FOR KEY SHARE lock on the run row per line, on the hottest row of the
-- run (pg_stat_statements during ./mtw bench burst: 30,000 such checks, 0.08 ms each, the largest
-- single statement cost after the claim). The attempt key (run_logs.attempt_id -> run_attempts)
-- already ties every line to its run (an attempt belongs to one run, and runs delete their attempts
-- by cascade, which delete their lines by cascade), so the second key only repeated the first.
-- run_id stays, written from the same attempt row, for the reads by run.
ALTER TABLE run_logs DROP CONSTRAINT IF EXISTS run_logs_run_id_fkey;
