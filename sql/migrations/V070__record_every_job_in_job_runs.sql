-- Every run of every job (transform, gold, index, redeliver, maintenance and any later one) is a row of
-- pipeline.job_runs, written by the job registry of whichever instance ran it, so that any instance can answer for it.
--
-- * job: any job name (the registry knows the valid ones); the CHECK listed only the SQL jobs.
-- * figures: what the run reported (rows, hours, files, ...), as the REST API shows it.
-- * scheduled_for: the schedule's fire time of a scheduled run (one row per fire across the fleet).
-- * At most one running run per job across the fleet: the partial unique index is the fleet-wide "already running".
--   Runs still marked running now were left by runtimes without instance heartbeats: they are closed first (a runtime
--   still working on one overwrites the status when it finishes).

ALTER TABLE pipeline.job_runs DROP CONSTRAINT job_runs_job_check;

ALTER TABLE pipeline.job_runs
ADD CONSTRAINT job_runs_job_check CHECK (job ~ '^[a-z][a-z0-9_-]{0,62}$'),
ADD COLUMN figures jsonb,
ADD COLUMN scheduled_for timestamptz;

UPDATE pipeline.job_runs
SET
    status = 'abandoned',
    finished_at = now(),
    error = 'still marked running when job runs became fleet-wide (migration V070)'
WHERE status = 'running';

CREATE UNIQUE INDEX job_runs_one_running_per_job ON pipeline.job_runs (job) WHERE status = 'running';

CREATE INDEX job_runs_job_started_at_idx ON pipeline.job_runs (job, started_at DESC);

CREATE INDEX job_runs_instance_running_idx ON pipeline.job_runs (instance) WHERE status = 'running';

COMMENT ON TABLE pipeline.job_runs IS
'One row per run of every job (transform, gold, index, redeliver, maintenance, ...), whatever its outcome.';
COMMENT ON COLUMN pipeline.job_runs.instance IS 'The runtime instance that ran it (pipeline.instances).';
COMMENT ON COLUMN pipeline.job_runs.figures IS 'What the run reported: rows, hours, files, ... (GET /api/jobs/{id}).';
COMMENT ON COLUMN pipeline.job_runs.scheduled_for IS 'Fire time of the schedule that started it (scheduled runs).';
