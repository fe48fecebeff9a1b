-- Designs are published on esrp.designs through the same kind of outbox as ratings: a design counts as published
-- once the broker acknowledged it; every change sets published_at back to null.
ALTER TABLE study_design ADD COLUMN published_at timestamptz;
CREATE INDEX study_design_unpublished ON study_design (updated_at) WHERE published_at IS NULL;
