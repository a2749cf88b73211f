-- handover file format: the handover's cover marking, closing a handover,
-- and withdrawing (retiring) functions and items.
-- A retired row stays in the file (its reference is never reused and its
-- history still points at it) but leaves the counts, readiness, gaps and
-- documents; retired_note says why. Older files upgrade in place: every
-- existing handover is marked OFFICIAL, open, and nothing is retired.
ALTER TABLE handovers ADD COLUMN marking TEXT NOT NULL DEFAULT 'OFFICIAL';
ALTER TABLE handovers ADD COLUMN closed_at INTEGER;
ALTER TABLE handovers ADD COLUMN closed_note TEXT NOT NULL DEFAULT '';
ALTER TABLE functions ADD COLUMN retired_at INTEGER;
ALTER TABLE functions ADD COLUMN retired_note TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN retired_at INTEGER;
ALTER TABLE items ADD COLUMN retired_note TEXT NOT NULL DEFAULT '';
-- Counts and gaps skip retired items: the state index carries the flag so
-- they still read the index alone.
DROP INDEX IF EXISTS items_by_state;
CREATE INDEX items_by_state ON items(function_id, sender_state, receiver_state, due_date, retired_at);
