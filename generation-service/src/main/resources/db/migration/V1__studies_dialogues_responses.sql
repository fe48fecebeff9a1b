-- generation-service owns this database. Identifiers are UUIDs assigned by the service.

CREATE TABLE study (
    id          uuid PRIMARY KEY,
    name        varchar(200) NOT NULL UNIQUE,
    description text,
    created_at  timestamptz  NOT NULL
);

CREATE TABLE study_character (
    id           uuid PRIMARY KEY,
    study_id     uuid         NOT NULL REFERENCES study (id),
    label        varchar(400) NOT NULL,
    name         varchar(200) NOT NULL,
    work         varchar(200),
    personality  text,
    speech_style text,
    history      text,
    created_at   timestamptz  NOT NULL,
    UNIQUE (study_id, label)
);

CREATE TABLE scenario (
    id              uuid PRIMARY KEY,
    study_id        uuid         NOT NULL REFERENCES study (id),
    external_id     varchar(100) NOT NULL,
    persona         text,
    emotion         text,
    event           text,
    opening_message text         NOT NULL,
    created_at      timestamptz  NOT NULL,
    UNIQUE (study_id, external_id)
);

CREATE TABLE responder (
    id                  uuid PRIMARY KEY,
    study_id            uuid         NOT NULL REFERENCES study (id),
    name                varchar(200) NOT NULL,
    kind                varchar(10)  NOT NULL CHECK (kind IN ('LLM', 'HUMAN')),
    base_url            text,
    model_name          varchar(200),
    api_key_env         varchar(200),
    temperature         double precision,
    max_tokens          integer,
    max_concurrency     integer,
    requests_per_minute integer,
    timeout_seconds     integer,
    created_at          timestamptz  NOT NULL,
    UNIQUE (study_id, name)
);

CREATE TABLE responder_character (
    responder_id uuid NOT NULL REFERENCES responder (id),
    character_id uuid NOT NULL REFERENCES study_character (id),
    PRIMARY KEY (responder_id, character_id)
);

CREATE TABLE simulator (
    study_id            uuid PRIMARY KEY REFERENCES study (id),
    base_url            text         NOT NULL,
    model_name          varchar(200) NOT NULL,
    api_key_env         varchar(200),
    temperature         double precision,
    max_tokens          integer,
    max_concurrency     integer,
    requests_per_minute integer,
    timeout_seconds     integer,
    prompt              text         NOT NULL,
    updated_at          timestamptz  NOT NULL
);

CREATE TABLE run (
    id          uuid PRIMARY KEY,
    study_id    uuid        NOT NULL REFERENCES study (id),
    status      varchar(12) NOT NULL,
    total       integer     NOT NULL,
    done        integer     NOT NULL DEFAULT 0,
    failed      integer     NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL,
    finished_at timestamptz
);

CREATE TABLE dialogue (
    id                      uuid PRIMARY KEY,
    study_id                uuid        NOT NULL REFERENCES study (id),
    character_id            uuid        NOT NULL REFERENCES study_character (id),
    scenario_id             uuid        NOT NULL REFERENCES scenario (id),
    responder_id            uuid        NOT NULL REFERENCES responder (id),
    status                  varchar(12) NOT NULL,
    run_id                  uuid REFERENCES run (id),
    lease_until             timestamptz,
    attempts                integer     NOT NULL DEFAULT 0,
    failure_reason          text,
    pending_question        text,
    pending_simulator_model varchar(200),
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    -- never two dialogues, hence never two answers per round, for one (study, character, scenario, responder)
    UNIQUE (study_id, character_id, scenario_id, responder_id)
);
CREATE INDEX dialogue_run_status ON dialogue (run_id, status);
CREATE INDEX dialogue_responder ON dialogue (responder_id);

CREATE TABLE response (
    id              uuid PRIMARY KEY,
    dialogue_id     uuid        NOT NULL REFERENCES dialogue (id),
    round           smallint    NOT NULL CHECK (round IN (1, 2)),
    user_message    text        NOT NULL,
    answer          text        NOT NULL,
    latency_ms      bigint,
    tokens_in       integer,
    tokens_out      integer,
    temperature     double precision,
    simulator_model varchar(200),
    created_at      timestamptz NOT NULL,
    -- the transactional outbox: null until the broker acknowledged the record
    published_at    timestamptz,
    UNIQUE (dialogue_id, round)
);
CREATE INDEX response_unpublished ON response (created_at) WHERE published_at IS NULL;
