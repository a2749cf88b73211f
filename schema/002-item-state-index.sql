-- handover file format, version 2: an index for large files.
-- Readiness counts (dashboard, status, documents) and the gap list look at
-- every item's states and due date. With this index they read it alone,
-- never the item rows with their guidance and evidence text, which at
-- national scale are most of the file.
CREATE INDEX items_by_state ON items(function_id, sender_state, receiver_state, due_date);
