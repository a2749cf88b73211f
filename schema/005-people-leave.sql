-- handover file format: people who leave, their job titles, and people
-- with several roles.
-- A leaver keeps their row, so the history, documents and sign-offs still
-- name them, but can no longer act: left_at is when a lead recorded it
-- (seconds since the epoch, UTC), NULL while they are here.
ALTER TABLE people ADD COLUMN left_at INTEGER;
-- What a person does, as documents and the people list show it ("Head of
-- Primary Care Finance"); '' when not given.
ALTER TABLE people ADD COLUMN job_title TEXT NOT NULL DEFAULT '';
-- A person may hold several roles (a regional lead who also hands a
-- function over): one row per role. people.role stays their first role.
CREATE TABLE person_roles (
	person_id INTEGER NOT NULL REFERENCES people(id),
	role      TEXT NOT NULL CHECK (role IN ('sender', 'receiver', 'lead')),
	PRIMARY KEY (person_id, role)
);
INSERT INTO person_roles(person_id, role) SELECT id, role FROM people;
