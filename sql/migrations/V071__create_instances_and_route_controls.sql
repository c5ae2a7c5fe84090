-- The fleet: every runtime instance sharing this database heartbeats here, reports the state of its routes, and
-- applies the route states the operators asked for (POST /api/routes/{id}/suspend|resume).
--
-- Times are PostgreSQL's clock (now()), never an instance's, so instances with skewed clocks agree on who is live.

CREATE TABLE pipeline.instances (
    instance_id text PRIMARY KEY,
    host text NOT NULL,
    pid bigint NOT NULL,
    version text,
    started_at timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    stopped_at timestamptz
);

CREATE INDEX instances_heartbeat_at_idx ON pipeline.instances (heartbeat_at);

-- What the fleet should do with a route. version grows with every request: an instance applies a request once (a
-- route suspended or resumed on one instance through Jolokia stays so until the next fleet request).
CREATE TABLE pipeline.route_controls (
    route_id text PRIMARY KEY,
    desired_state text NOT NULL CHECK (desired_state IN ('started', 'suspended')),
    version bigint NOT NULL DEFAULT 1,
    requested_at timestamptz NOT NULL DEFAULT now(),
    requested_by text
);

-- What each instance last reported about each of its routes.
CREATE TABLE pipeline.instance_routes (
    instance_id text NOT NULL REFERENCES pipeline.instances (instance_id) ON DELETE CASCADE,
    route_id text NOT NULL,
    state text NOT NULL,
    inflight integer NOT NULL,
    consumer_paused boolean,
    quiescent boolean NOT NULL,
    applied_version bigint,
    reported_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (instance_id, route_id)
);

COMMENT ON TABLE pipeline.instances IS
'Runtime instances sharing this database; live while heartbeat_at is recent and stopped_at is empty.';
COMMENT ON TABLE pipeline.route_controls IS
'Route states the operators asked the whole fleet for (suspended or started), applied by every instance.';
COMMENT ON TABLE pipeline.instance_routes IS
'Each instance''s last report of its routes: state, in-flight exchanges, quiescent (nothing consumed or in flight).';
