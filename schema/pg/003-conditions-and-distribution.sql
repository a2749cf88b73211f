-- As schema/008-conditions-and-distribution.sql: who meets a condition of
-- acceptance and by when (a person, or one side's organisation), and who a
-- handover's documents are distributed to.
ALTER TABLE items ADD COLUMN condition_owner_id BIGINT;
ALTER TABLE items ADD COLUMN condition_side TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN condition_due TEXT NOT NULL DEFAULT '';
ALTER TABLE handovers ADD COLUMN distribution TEXT NOT NULL DEFAULT '';
