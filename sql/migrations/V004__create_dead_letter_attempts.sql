-- Every redelivery attempt of a dead letter, with its outcome and the reasons of that attempt: the audit trail an
-- operator reads before parking or discarding an entry, and proof that no entry is processed twice at once.
CREATE TABLE dead_letter_attempts (
    id              bigserial   PRIMARY KEY,
    dead_letter_id  bigint      NOT NULL REFERENCES dead_letters (id) ON DELETE CASCADE,
    attempt         integer     NOT NULL,
    outcome         text        NOT NULL CHECK (outcome IN ('recovered', 'failed', 'parked')),
    reasons         jsonb,
    attempted_at    timestamptz NOT NULL DEFAULT now(),
    run_id          uuid        NOT NULL,
    UNIQUE (dead_letter_id, attempt)
);
