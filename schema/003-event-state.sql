-- handover file format, version 3: the state each event leaves behind.
-- Every event from this version on carries, in `state`, the rows it
-- changed as they stand after it (or that it deleted), so that replaying
-- the history rebuilds people, handovers, functions, items, thread entries
-- and the file's title, and `handover verify` names any row edited outside
-- handover. `state` is part of the event's hash when it is not NULL; events
-- written before this version have NULL there and hash as they did. A file
-- upgraded from version 2 gets one 'baseline' event holding every row as
-- it stood at the upgrade (see src/core/store_state.c).
ALTER TABLE events ADD COLUMN state TEXT;
