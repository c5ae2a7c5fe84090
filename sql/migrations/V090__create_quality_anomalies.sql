-- Anomaly detection (issue 14): per UTC hour and metric, the hour's value against the same hour on the previous days
-- (median and median absolute deviation of that history, robust z-score). One row per metric, dimension and hour,
-- rewritten whenever the hour is evaluated again (late data can change a verdict); written by the runtime's
-- "anomalies" job (quality.AnomalyDetector), read by GET /api/quality, the Prometheus gauges and the quality DAG.
CREATE TABLE pipeline.quality_anomalies (
    metric text NOT NULL CHECK (
        metric IN ('volume', 'dead_letter_rate', 'late_ratio', 'net_revenue', 'conversion_rate')
    ),
    dimension text NOT NULL DEFAULT '',
    hour timestamptz NOT NULL,
    value double precision,
    baseline_median double precision,
    baseline_mad double precision,
    baseline_points integer NOT NULL,
    robust_z double precision,
    is_anomaly boolean NOT NULL,
    evaluated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (metric, dimension, hour)
);

CREATE INDEX quality_anomalies_hour_idx ON pipeline.quality_anomalies (hour);
CREATE INDEX quality_anomalies_flagged_idx ON pipeline.quality_anomalies (hour) WHERE is_anomaly;

COMMENT ON TABLE pipeline.quality_anomalies IS
'Anomaly detection per UTC hour and metric against the same hour of the previous days (robust z-score); '
'the latest evaluation of each hour.';
COMMENT ON COLUMN pipeline.quality_anomalies.metric IS
'volume (records received in the hour), dead_letter_rate (dead letters of one rule / records received), late_ratio, '
'net_revenue and conversion_rate (marts.hourly_metrics, event time).';
COMMENT ON COLUMN pipeline.quality_anomalies.dimension IS 'The rule id for dead_letter_rate; empty otherwise.';
COMMENT ON COLUMN pipeline.quality_anomalies.hour IS
'Start of the UTC hour: processing time for volume and dead_letter_rate, event time for the others.';
COMMENT ON COLUMN pipeline.quality_anomalies.value IS 'The metric in that hour.';
COMMENT ON COLUMN pipeline.quality_anomalies.baseline_median IS
'Median of the metric in the same hour of the previous ANOMALY_HISTORY_DAYS days.';
COMMENT ON COLUMN pipeline.quality_anomalies.baseline_mad IS 'Median absolute deviation of those values.';
COMMENT ON COLUMN pipeline.quality_anomalies.baseline_points IS
'How many previous days had a value (days before the first data do not count).';
COMMENT ON COLUMN pipeline.quality_anomalies.robust_z IS
'(value - median) / (1.4826 * MAD); null when the history has no spread at all or too few points.';
COMMENT ON COLUMN pipeline.quality_anomalies.is_anomaly IS
'|robust_z| >= ANOMALY_Z_THRESHOLD and the value differs from the median by at least ANOMALY_MIN_DEVIATION of it.';
COMMENT ON COLUMN pipeline.quality_anomalies.evaluated_at IS 'When this verdict was computed.';
