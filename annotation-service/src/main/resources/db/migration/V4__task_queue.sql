-- Task hand-out in constant time (issue 9): each item carries its place in the study's order and its free slots,
-- and a partial index holds exactly the items that still have a slot, in that order.

-- Which set of a responder's answers for a character this is (0, 1, ...): the same ordinal of every responder's set
-- for a character is handed out together, like the same scenario of every responder's dialogue.
ALTER TABLE item ADD COLUMN set_ordinal integer;

-- The study's order, fixed and reproducible: a hash seeded by the study of (character, scenario) for dialogues and of
-- (character, set ordinal) for diversity sets. Every responder's answer to one scenario shares one place, so the
-- responders are rated at the same pace and on the same pairs; pairs come in random order. Gold items by their id.
ALTER TABLE item ADD COLUMN priority bigint GENERATED ALWAYS AS (hashtextextended(
    study_id::text || '/' || coalesce(character_id::text, character_name) || '/'
        || coalesce(scenario_id::text, 'set ' || set_ordinal::text, id::text), 0)) STORED;

-- k minus (accepted ratings + live leases), changed only under the item's row lock: a claim takes one, an expired
-- lease gives it back, a change of k moves it by the difference. Gold items are not capped (each annotator needs
-- them for its pass rate), so their slots are not consulted.
ALTER TABLE item ADD COLUMN open_slots integer;
UPDATE item i SET open_slots = coalesce((SELECT d.raters_per_item FROM study_design d WHERE d.study_id = i.study_id), 3)
    - i.ratings
    - (SELECT count(*) FROM task t WHERE t.item_id = i.id AND t.status = 'LEASED' AND t.expires_at > now());
ALTER TABLE item ALTER COLUMN open_slots SET NOT NULL;

DROP INDEX item_study;
CREATE INDEX item_study ON item (study_id);
CREATE INDEX item_queue ON item (study_id, priority, id) WHERE NOT gold AND open_slots > 0;
CREATE INDEX item_gold_queue ON item (study_id, priority, id) WHERE gold;
CREATE INDEX item_diversity_sets ON item (responder_id, character_id) WHERE kind = 'DIVERSITY';

-- Expired leases are given back by a reaper, which marks them EXPIRED; a late submission of one is refused.
ALTER TABLE task DROP CONSTRAINT task_status_check;
ALTER TABLE task ADD CONSTRAINT task_status_check CHECK (status IN ('LEASED', 'SUBMITTED', 'EXPIRED'));
UPDATE task SET status = 'EXPIRED' WHERE status = 'LEASED' AND expires_at <= now();
DROP INDEX task_item;
CREATE INDEX task_item ON task (item_id, annotator_id);
CREATE INDEX task_live ON task (expires_at) WHERE status = 'LEASED';
DROP INDEX task_annotator;
CREATE INDEX task_annotator ON task (annotator_id) WHERE status = 'LEASED';

-- What the rating request was, so that the same Idempotency-Key with another body is refused rather than answered
-- with the first rating. Ratings stored before this have none and are compared by task only.
ALTER TABLE rating ADD COLUMN request_hash char(64);
CREATE INDEX rating_annotator_study ON rating (annotator_id, study_id);
