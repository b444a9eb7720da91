-- 0009_ledger_watermark.sql: where each submission sits in commit order, so that a reader
-- can tell whether what it shows includes a given submission (daemon/db/db_watermark.h).
--
-- submission.xact_id is the transaction that stored the submission (pg_current_xact_id(),
-- 64 bits, never wraps). A budget snapshot remembers the pg_snapshot its data was read
-- under; the submissions it lacks are exactly those whose xact_id that snapshot does not
-- see, which is how the daemon brings its snapshots up to date after commits (whoever made
-- them) and how a writer knows its submission is in what the daemon serves. Rows stored
-- before this migration keep NULL: they committed before any snapshot taken from now on.
--
-- alert_evaluation.watermark is the pg_snapshot of the data the year's last saved
-- evaluation was computed from; an evaluation from older data is not saved over it.

ALTER TABLE submission ADD COLUMN xact_id xid8;
ALTER TABLE submission ALTER COLUMN xact_id SET DEFAULT pg_current_xact_id();
CREATE INDEX submission_xact ON submission (xact_id);

ALTER TABLE alert_evaluation ADD COLUMN watermark pg_snapshot;
