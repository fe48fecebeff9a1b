-- The study's queue per character: an annotator who rates only the characters it knows walks each of them from its
-- front, instead of the whole study's queue past every item of the others. The items left open at the front of the
-- whole queue are more and more those of characters few annotators know, so that walk grew as a study filled
-- (deploy/bench/BENCHMARKS.md, "After a JIT warm-up").
CREATE INDEX item_character_queue ON item (study_id, character_id, priority, id) WHERE NOT gold AND open_slots > 0;
