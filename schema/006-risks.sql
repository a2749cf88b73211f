-- handover file format: the risk log and deep dives.
-- A risk belongs to a handover (optionally to one of its functions), has a
-- reference R-N unique in its handover and never reused, NHS 5x5 scoring
-- (likelihood and impact 1-5; the score is their product), an owner, a
-- mitigation, a review date and a status. A deep dive is a meeting on the
-- risks of a handover; its actions (reference A-N in the handover) have an
-- owner and a due date and wait on the owner until done.
CREATE TABLE risks (
	id          INTEGER PRIMARY KEY,
	handover_id INTEGER NOT NULL REFERENCES handovers(id),
	number      INTEGER NOT NULL,
	function_id INTEGER REFERENCES functions(id),
	title       TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	cause       TEXT NOT NULL DEFAULT '',
	likelihood  INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 5),
	impact      INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
	owner_id    INTEGER NOT NULL REFERENCES people(id),
	mitigation  TEXT NOT NULL DEFAULT '',
	review_date TEXT NOT NULL DEFAULT '',
	items       TEXT NOT NULL DEFAULT '',
	status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
	close_note  TEXT NOT NULL DEFAULT '',
	version     INTEGER NOT NULL DEFAULT 1,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER,
	UNIQUE (handover_id, number)
);

CREATE TABLE deep_dives (
	id          INTEGER PRIMARY KEY,
	handover_id INTEGER NOT NULL REFERENCES handovers(id),
	number      INTEGER NOT NULL,
	held_on     TEXT NOT NULL,
	title       TEXT NOT NULL,
	attendees   TEXT NOT NULL DEFAULT '',
	risks       TEXT NOT NULL DEFAULT '',
	decisions   TEXT NOT NULL DEFAULT '',
	version     INTEGER NOT NULL DEFAULT 1,
	created_at  INTEGER NOT NULL,
	UNIQUE (handover_id, number)
);

CREATE TABLE dive_actions (
	id           INTEGER PRIMARY KEY,
	deep_dive_id INTEGER NOT NULL REFERENCES deep_dives(id),
	handover_id  INTEGER NOT NULL REFERENCES handovers(id),
	number       INTEGER NOT NULL,
	text         TEXT NOT NULL,
	owner_id     INTEGER NOT NULL REFERENCES people(id),
	due_date     TEXT NOT NULL DEFAULT '',
	done_at      INTEGER,
	version      INTEGER NOT NULL DEFAULT 1,
	UNIQUE (handover_id, number)
);
CREATE INDEX dive_actions_by_owner ON dive_actions(owner_id, done_at);
