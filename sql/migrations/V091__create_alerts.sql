-- Alerts with their state in PostgreSQL (issue 14): one row per episode of a cause (a kind and what it concerns, e.g.
-- quality / freshness, anomaly / volume, job-failed / transform). At most one open episode per cause (partial unique
-- index), so of several instances seeing the same breach exactly one opens it and sends the alert, and exactly one
-- resolves it and sends the resolution. Closed episodes stay as history.
CREATE TABLE pipeline.alerts (
    id bigserial PRIMARY KEY,
    kind text NOT NULL,
    cause text NOT NULL,
    message text NOT NULL,
    details jsonb,
    opened_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    repeats integer NOT NULL DEFAULT 0,
    resolved_at timestamptz,
    resolution text
);

CREATE UNIQUE INDEX alerts_one_open_per_cause_idx ON pipeline.alerts (kind, cause) WHERE resolved_at IS NULL;
CREATE INDEX alerts_opened_at_idx ON pipeline.alerts (opened_at);

COMMENT ON TABLE pipeline.alerts IS
'Alert episodes: opened (alert sent) when a cause starts, resolved (resolution sent) when it ends; one open per cause.';
COMMENT ON COLUMN pipeline.alerts.kind IS 'quality, anomaly, job-failed, ...';
COMMENT ON COLUMN pipeline.alerts.cause IS 'What the alert is about within its kind: a check, a metric, a job type.';
COMMENT ON COLUMN pipeline.alerts.message IS 'The message of the opening alert.';
COMMENT ON COLUMN pipeline.alerts.details IS 'Details sent with the opening alert (JSON).';
COMMENT ON COLUMN pipeline.alerts.opened_at IS 'When the cause was first seen (and the alert sent).';
COMMENT ON COLUMN pipeline.alerts.last_seen_at IS 'When the cause was last seen while open.';
COMMENT ON COLUMN pipeline.alerts.repeats IS 'How often the cause was seen again while open (no alert sent for those).';
COMMENT ON COLUMN pipeline.alerts.resolved_at IS 'When the cause ended (and the resolution sent); null while open.';
COMMENT ON COLUMN pipeline.alerts.resolution IS 'The message of the resolution.';
