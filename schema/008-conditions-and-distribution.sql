-- handover file format: who meets a condition of acceptance and by when,
-- and who a handover's documents are distributed to.
-- A condition is met by a person (condition_owner_id) or by one side's
-- organisation as a whole (condition_side 'sender' or 'receiver'), by
-- condition_due. Conditions recorded before this format keep both empty
-- and read as the defaults a new condition gets: the function's receiver,
-- by the handover's target date. The distribution is free text printed in
-- each document's control table.
ALTER TABLE items ADD COLUMN condition_owner_id INTEGER;
ALTER TABLE items ADD COLUMN condition_side TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN condition_due TEXT NOT NULL DEFAULT '';
ALTER TABLE handovers ADD COLUMN distribution TEXT NOT NULL DEFAULT '';
