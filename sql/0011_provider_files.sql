-- 0011_provider_files.sql: what a provider's own files need from the schema.
--
-- ingest_attempt.channel: CSV files now also arrive over HTTP (POST /api/v1/declarations/csv,
--   channel 'http-csv'); the check of 0001 is replaced by one that also allows it.
-- ingest_attempt_provider: a provider's list of submissions (GET
--   /api/v1/providers/{agb}/submissions) shows its files rejected whole, newest first, from
--   the attempts; this index reads them without scanning every provider's attempts.

ALTER TABLE ingest_attempt DROP CONSTRAINT ingest_attempt_channel_check;
ALTER TABLE ingest_attempt ADD CONSTRAINT ingest_attempt_channel_check
    CHECK (channel IN ('http-json', 'http-aw319', 'http-csv', 'cli-json', 'cli-aw319', 'cli-csv'));

CREATE INDEX ingest_attempt_provider ON ingest_attempt (provider_agb, received_at)
    WHERE result = 'rejected' AND submission_id IS NULL;
