-- annotation-service owns this database.

-- Answers as consumed from esrp.responses; the primary key makes consumption idempotent.
CREATE TABLE answer (
    response_id     uuid PRIMARY KEY,
    study_id        uuid        NOT NULL,
    dialogue_id     uuid        NOT NULL,
    character_id    uuid        NOT NULL,
    character_name  text        NOT NULL,
    scenario_id     uuid        NOT NULL,
    scenario_key    text,
    persona         text,
    emotion         text,
    responder_id    uuid        NOT NULL,
    responder_name  text,
    responder_kind  varchar(10) NOT NULL,
    model_name      text,
    round           smallint    NOT NULL,
    user_message    text        NOT NULL,
    answer          text        NOT NULL,
    created_at      timestamptz NOT NULL,
    in_diversity_set boolean    NOT NULL DEFAULT false,
    UNIQUE (dialogue_id, round)
);
CREATE INDEX answer_dialogue ON answer (dialogue_id);
CREATE INDEX answer_diversity ON answer (responder_id, character_id) WHERE round = 1 AND NOT in_diversity_set;

-- What annotators rate: a whole dialogue, or a set of answers of one responder for one character.
CREATE TABLE item (
    id             uuid PRIMARY KEY,
    study_id       uuid        NOT NULL,
    kind           varchar(10) NOT NULL CHECK (kind IN ('DIALOGUE', 'DIVERSITY')),
    dialogue_id    uuid UNIQUE,
    character_id   uuid,
    character_name text        NOT NULL,
    scenario_id    uuid,
    persona        text,
    emotion        text,
    responder_id   uuid,
    responder_kind varchar(10),
    model_name     text,
    gold           boolean     NOT NULL DEFAULT false,
    gold_expected  text,
    gold_content   text,
    ratings        integer     NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL
);
CREATE INDEX item_study ON item (study_id, gold, ratings);

CREATE TABLE item_answer (
    item_id     uuid     NOT NULL REFERENCES item (id),
    response_id uuid     NOT NULL REFERENCES answer (response_id),
    position    smallint NOT NULL,
    PRIMARY KEY (item_id, response_id)
);

CREATE TABLE study_design (
    study_id           uuid PRIMARY KEY,
    raters_per_item    integer          NOT NULL,
    match_characters   boolean          NOT NULL,
    gold_share         double precision NOT NULL,
    min_seconds        integer          NOT NULL,
    lease_seconds      integer          NOT NULL,
    diversity_set_size integer          NOT NULL,
    rubric             text,
    updated_at         timestamptz      NOT NULL
);

CREATE TABLE annotator (
    id           uuid PRIMARY KEY,
    display_name varchar(200) NOT NULL,
    token_hash   char(64)     NOT NULL UNIQUE,
    created_at   timestamptz  NOT NULL
);
CREATE TABLE annotator_character (
    annotator_id uuid NOT NULL REFERENCES annotator (id),
    character_id uuid NOT NULL,
    PRIMARY KEY (annotator_id, character_id)
);
CREATE TABLE annotator_language (
    annotator_id uuid        NOT NULL REFERENCES annotator (id),
    language     varchar(20) NOT NULL,
    PRIMARY KEY (annotator_id, language)
);
-- the fan identities (HUMAN responders) of an annotator: never asked to rate their own answers
CREATE TABLE annotator_responder (
    annotator_id uuid NOT NULL REFERENCES annotator (id),
    responder_id uuid NOT NULL,
    PRIMARY KEY (annotator_id, responder_id)
);

-- A lease of one item to one annotator; its random id is the only id an annotator sees.
CREATE TABLE task (
    id           uuid PRIMARY KEY,
    item_id      uuid        NOT NULL REFERENCES item (id),
    annotator_id uuid        NOT NULL REFERENCES annotator (id),
    status       varchar(10) NOT NULL CHECK (status IN ('LEASED', 'SUBMITTED')),
    leased_at    timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    shuffle_seed bigint      NOT NULL
);
CREATE INDEX task_item ON task (item_id, status, expires_at);
CREATE INDEX task_annotator ON task (annotator_id, status);

CREATE TABLE rating (
    id              uuid PRIMARY KEY,
    task_id         uuid         NOT NULL UNIQUE REFERENCES task (id),
    item_id         uuid         NOT NULL REFERENCES item (id),
    annotator_id    uuid         NOT NULL REFERENCES annotator (id),
    study_id        uuid         NOT NULL,
    idempotency_key varchar(200) NOT NULL,
    scores          text         NOT NULL,
    comment         text,
    duration_ms     bigint,
    flags           text         NOT NULL,
    gold            boolean      NOT NULL,
    gold_passed     boolean,
    created_at      timestamptz  NOT NULL,
    -- the transactional outbox: null until the broker acknowledged the record
    published_at    timestamptz,
    UNIQUE (annotator_id, idempotency_key),
    -- never two ratings of one item by one annotator
    UNIQUE (item_id, annotator_id)
);
CREATE INDEX rating_study ON rating (study_id, created_at, id);
CREATE INDEX rating_unpublished ON rating (created_at) WHERE published_at IS NULL;
