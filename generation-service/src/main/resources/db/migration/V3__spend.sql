-- What generation costs (issue 11): a price per model, the tokens and cost of every answer, and a run's spend against
-- its budget.
ALTER TABLE responder ADD COLUMN price_input_per_million numeric(12, 4), ADD COLUMN price_output_per_million numeric(12, 4);
ALTER TABLE simulator ADD COLUMN price_input_per_million numeric(12, 4), ADD COLUMN price_output_per_million numeric(12, 4);
-- round 2's user message is the simulator's answer: its call's tokens are counted with the round
ALTER TABLE response ADD COLUMN simulator_tokens_in integer, ADD COLUMN simulator_tokens_out integer, ADD COLUMN cost numeric(20, 10),
    -- the run whose call paid for it: added to that run's spend once, when the dialogue is handed over
    ADD COLUMN run_id uuid;
ALTER TABLE run ALTER COLUMN status TYPE varchar(20),
    ADD COLUMN budget numeric(14, 4),
    ADD COLUMN tokens_in bigint NOT NULL DEFAULT 0,
    ADD COLUMN tokens_out bigint NOT NULL DEFAULT 0,
    ADD COLUMN cost numeric(20, 10) NOT NULL DEFAULT 0;
