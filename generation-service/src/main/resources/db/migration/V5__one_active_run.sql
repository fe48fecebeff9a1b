-- A study has at most one active run (issue 11): a start sent again after a lost answer or a time-out returns the
-- active run instead of making another. Runs a repeated start made before this are ended first; they had nothing
-- left to queue, because the run before them held every dialogue.
UPDATE run SET status = 'CANCELLED', finished_at = now()
WHERE status IN ('RUNNING', 'BUDGET_REACHED')
  AND EXISTS (SELECT 1 FROM run newer WHERE newer.study_id = run.study_id AND newer.status IN ('RUNNING', 'BUDGET_REACHED')
              AND (newer.created_at, newer.id) > (run.created_at, run.id));

CREATE UNIQUE INDEX run_active ON run (study_id) WHERE status IN ('RUNNING', 'BUDGET_REACHED');
