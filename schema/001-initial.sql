-- handover file format, version 1.
-- Every user-edited row carries `version` for compare-and-set updates.
-- Dates are 'YYYY-MM-DD' text; times are seconds since the epoch (UTC).

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE people (
	id         INTEGER PRIMARY KEY,
	login      TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	role       TEXT NOT NULL CHECK (role IN ('sender', 'receiver', 'lead')),
	org        TEXT NOT NULL DEFAULT '',
	version    INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL
);

CREATE TABLE handovers (
	id           INTEGER PRIMARY KEY,
	title        TEXT NOT NULL,
	service      TEXT NOT NULL DEFAULT '',
	sender_org   TEXT NOT NULL DEFAULT '',
	receiver_org TEXT NOT NULL DEFAULT '',
	target_date  TEXT NOT NULL DEFAULT '',
	signed_by    INTEGER REFERENCES people(id),
	signed_at    INTEGER,
	version      INTEGER NOT NULL DEFAULT 1,
	created_at   INTEGER NOT NULL
);

CREATE TABLE functions (
	id                 INTEGER PRIMARY KEY,
	handover_id        INTEGER NOT NULL REFERENCES handovers(id),
	code               TEXT NOT NULL,
	name               TEXT NOT NULL,
	position           INTEGER NOT NULL,
	due_date           TEXT NOT NULL DEFAULT '',
	sender_id          INTEGER REFERENCES people(id),
	receiver_id        INTEGER REFERENCES people(id),
	sender_signed_at   INTEGER,
	receiver_signed_at INTEGER,
	next_number        INTEGER NOT NULL DEFAULT 1,
	version            INTEGER NOT NULL DEFAULT 1,
	UNIQUE (handover_id, code)
);
CREATE INDEX functions_by_handover ON functions(handover_id, position);

CREATE TABLE items (
	id             INTEGER PRIMARY KEY,
	function_id    INTEGER NOT NULL REFERENCES functions(id),
	number         INTEGER NOT NULL,
	position       INTEGER NOT NULL,
	title          TEXT NOT NULL,
	guidance       TEXT NOT NULL DEFAULT '',
	due_date       TEXT NOT NULL DEFAULT '',
	sender_state   TEXT NOT NULL DEFAULT 'not_started'
		CHECK (sender_state IN ('not_started', 'in_progress', 'handed_over', 'not_applicable')),
	receiver_state TEXT NOT NULL DEFAULT 'none'
		CHECK (receiver_state IN ('none', 'pending', 'accepted', 'conditions', 'gap')),
	evidence       TEXT NOT NULL DEFAULT '',
	na_reason      TEXT NOT NULL DEFAULT '',
	condition      TEXT NOT NULL DEFAULT '',
	version        INTEGER NOT NULL DEFAULT 1,
	updated_by     INTEGER REFERENCES people(id),
	updated_at     INTEGER,
	UNIQUE (function_id, number)
);
CREATE INDEX items_by_function ON items(function_id, position);

CREATE TABLE thread (
	id          INTEGER PRIMARY KEY,
	item_id     INTEGER NOT NULL REFERENCES items(id),
	kind        TEXT NOT NULL
		CHECK (kind IN ('comment', 'query', 'evidence', 'reason', 'condition')),
	author_id   INTEGER NOT NULL REFERENCES people(id),
	at          INTEGER NOT NULL,
	body        TEXT NOT NULL,
	resolved_at INTEGER
);
CREATE INDEX thread_by_item ON thread(item_id, id);
CREATE INDEX thread_open_queries ON thread(item_id) WHERE kind = 'query' AND resolved_at IS NULL;

-- Append-only, hash-chained history: hash = SHA-256 of the previous hash and
-- this event's fields (see src/core/store_history.c).
CREATE TABLE events (
	id           INTEGER PRIMARY KEY,
	at           INTEGER NOT NULL,
	actor        TEXT NOT NULL,
	action       TEXT NOT NULL,
	handover_id  INTEGER,
	function_id  INTEGER,
	item_id      INTEGER,
	ref          TEXT NOT NULL DEFAULT '',
	old_value    TEXT NOT NULL DEFAULT '',
	new_value    TEXT NOT NULL DEFAULT '',
	undo         TEXT NOT NULL DEFAULT '',
	item_version INTEGER,
	prev_hash    TEXT NOT NULL,
	hash         TEXT NOT NULL
);
CREATE INDEX events_by_item ON events(item_id, id);
CREATE INDEX events_by_actor ON events(actor, id);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
	SELECT RAISE(ABORT, 'history is append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
	SELECT RAISE(ABORT, 'history is append-only');
END;
