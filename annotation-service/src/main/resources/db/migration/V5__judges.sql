-- LLM judges (issue 11): a judge is a rater, with an annotator row of its own that no token reaches (its ratings share
-- the rating table, the outbox and the exports); it rates a study's DIALOGUE items blind, in runs like generation's.
ALTER TABLE annotator ADD COLUMN kind varchar(10) NOT NULL DEFAULT 'HUMAN' CHECK (kind IN ('HUMAN', 'LLM_JUDGE'));

CREATE TABLE judge (
    id                       uuid PRIMARY KEY REFERENCES annotator (id),
    study_id                 uuid         NOT NULL,
    name                     varchar(200) NOT NULL,
    instructions             text,
    base_url                 text         NOT NULL,
    model_name               text         NOT NULL,
    api_key_env              text,
    temperature              double precision,
    max_tokens               integer,
    max_concurrency          integer,
    requests_per_minute      integer,
    timeout_seconds          integer,
    price_input_per_million  numeric(12, 4),
    price_output_per_million numeric(12, 4),
    created_at               timestamptz  NOT NULL
);
CREATE INDEX judge_study ON judge (study_id);

CREATE TABLE judge_run (
    id          uuid PRIMARY KEY,
    judge_id    uuid           NOT NULL REFERENCES judge (id),
    study_id    uuid           NOT NULL,
    status      varchar(20)    NOT NULL,
    total       integer        NOT NULL DEFAULT 0,
    done        integer        NOT NULL DEFAULT 0,
    failed      integer        NOT NULL DEFAULT 0,
    budget      numeric(14, 4),
    tokens_in   bigint         NOT NULL DEFAULT 0,
    tokens_out  bigint         NOT NULL DEFAULT 0,
    cost        numeric(20, 10) NOT NULL DEFAULT 0,
    created_at  timestamptz    NOT NULL,
    finished_at timestamptz
);
CREATE INDEX judge_run_judge ON judge_run (judge_id, created_at);

-- One judge's work on one item; DONE once its rating is stored (in the same transaction).
CREATE TABLE judgment (
    judge_id       uuid        NOT NULL REFERENCES judge (id),
    item_id        uuid        NOT NULL REFERENCES item (id),
    run_id         uuid        REFERENCES judge_run (id),
    status         varchar(10) NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
    lease_until    timestamptz,
    attempts       integer     NOT NULL DEFAULT 0,
    failure_reason text,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (judge_id, item_id)
);
CREATE INDEX judgment_work ON judgment (judge_id, status, lease_until);

-- A judge's rating has no task (nothing was leased to a person) and says who rated it.
ALTER TABLE rating ALTER COLUMN task_id DROP NOT NULL;

-- The request slots of rate-limited model endpoints, shared by this service's replicas (org.esrp.llm.RateRepository).
CREATE TABLE llm_rate (
    endpoint_key char(64) PRIMARY KEY,
    next_free_at timestamptz NOT NULL
);
