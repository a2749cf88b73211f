-- handover file format: when each person last looked at each handover.
-- `handover changes` and the screens list and mark what others changed
-- since then. Looking is not a change to the handover: it is kept here,
-- outside the history (handover_id 0 stands for changes to the file as a
-- whole, such as people added).
CREATE TABLE seen (
	person_id   INTEGER NOT NULL REFERENCES people(id),
	handover_id INTEGER NOT NULL,
	event_id    INTEGER NOT NULL,
	at          INTEGER NOT NULL,
	PRIMARY KEY (person_id, handover_id)
);
