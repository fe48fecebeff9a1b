-- A study's quality policy (which ratings count in its statistics), JSON text; null means the default policy.
ALTER TABLE study_design ADD COLUMN quality text;
