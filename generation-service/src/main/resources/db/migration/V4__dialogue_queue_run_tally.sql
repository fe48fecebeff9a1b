-- Generation at the provider's limit (issue 11).

-- A responder's queue in the order it is worked through: a claim and a hand-over start at its first queued dialogue,
-- instead of reading every dialogue of the responder (done ones included) and sorting them, once per dialogue.
CREATE INDEX dialogue_queued ON dialogue (responder_id, created_at, id) WHERE status = 'QUEUED';

-- A run's counts and spend, striped over a few rows that a run's hand-overs add to: every slot finishing a dialogue
-- updated the run's one row, so they queued for its lock. A run's figures are the sums of its rows.
CREATE TABLE run_tally (
    run_id     uuid           NOT NULL REFERENCES run (id),
    shard      smallint       NOT NULL,
    done       integer        NOT NULL DEFAULT 0,
    failed     integer        NOT NULL DEFAULT 0,
    tokens_in  bigint         NOT NULL DEFAULT 0,
    tokens_out bigint         NOT NULL DEFAULT 0,
    cost       numeric(20, 10) NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, shard)
);
INSERT INTO run_tally (run_id, shard, done, failed, tokens_in, tokens_out, cost)
SELECT id, 0, done, failed, tokens_in, tokens_out, cost FROM run;
ALTER TABLE run DROP COLUMN done, DROP COLUMN failed, DROP COLUMN tokens_in, DROP COLUMN tokens_out, DROP COLUMN cost;
