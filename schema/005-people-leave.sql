-- handover file format: people who leave, and their job titles.
-- A leaver keeps their row, so the history, documents and sign-offs still
-- name them, but can no longer act: left_at is when a lead recorded it
-- (seconds since the epoch, UTC), NULL while they are here.
ALTER TABLE people ADD COLUMN left_at INTEGER;
-- What a person does, as documents and the people list show it ("Head of
-- Primary Care Finance"); '' when not given.
ALTER TABLE people ADD COLUMN job_title TEXT NOT NULL DEFAULT '';
