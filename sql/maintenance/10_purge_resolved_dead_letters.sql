-- Resolved dead letters (recovered or discarded) are kept 30 days for audit, then removed with their attempts.
DELETE FROM pipeline.dead_letters
WHERE
    status IN ('recovered', 'discarded')
    AND resolved_at < now() - interval '30 days';
