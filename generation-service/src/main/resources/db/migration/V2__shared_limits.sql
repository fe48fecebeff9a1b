-- Limits that hold for the whole deployment, not per replica (issue 11).

-- The live leases of a responder are counted at every claim, so that its max concurrency holds across replicas.
CREATE INDEX dialogue_responder_running ON dialogue (responder_id, lease_until) WHERE status = 'RUNNING';

-- One row per model endpoint with a request rate: the time its next request may be sent, taken in turn by every
-- replica (spacing requests evenly, as a token bucket of one would).
CREATE TABLE llm_rate (
    endpoint_key  varchar(64) PRIMARY KEY,
    next_free_at  timestamptz NOT NULL
);
