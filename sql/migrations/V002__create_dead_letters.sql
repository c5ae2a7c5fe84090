-- Durable dead-letter store: every record that could not become a raw_events row, with its raw bytes, all its
-- reasons and its Kafka origin. Redelivery (status 'waiting' and next_attempt_at due) revalidates it later.
CREATE TABLE dead_letters (
    id                bigserial   PRIMARY KEY,
    event_id          text,                               -- as found in the payload, if any (may be malformed)
    source_topic      text        NOT NULL,
    source_partition  integer     NOT NULL,
    source_offset     bigint      NOT NULL,
    payload           bytea       NOT NULL,               -- the record value exactly as consumed
    error_class       text        NOT NULL CHECK (error_class IN ('malformed', 'invalid', 'processing')),
    reasons           jsonb       NOT NULL,               -- [{"rule": ..., "field": ..., "message": ...}] of the last attempt
    status            text        NOT NULL DEFAULT 'waiting'
                                  CHECK (status IN ('waiting', 'recovered', 'parked', 'discarded')),
    attempts          integer     NOT NULL DEFAULT 1,
    first_failed_at   timestamptz NOT NULL DEFAULT now(),
    last_failed_at    timestamptz NOT NULL DEFAULT now(),
    next_attempt_at   timestamptz,
    resolved_at       timestamptz,
    resolution        text,                               -- who or what resolved it: redelivery, operator note
    run_id            uuid        NOT NULL,
    -- a record consumed twice (crash before the offset commit) is stored once
    CONSTRAINT dead_letters_origin_key UNIQUE (source_topic, source_partition, source_offset)
);

CREATE INDEX dead_letters_due_idx ON dead_letters (next_attempt_at) WHERE status = 'waiting';
CREATE INDEX dead_letters_status_time_idx ON dead_letters (status, last_failed_at);
