-- 0013_submission_documents_text.sql: a submission's two documents are kept as text.
--
-- The canonical content and the first answer were of type json, whose input function parses
-- every byte to check that it is JSON. For a submission of a thousand lines (some 250 kB
-- each) that parse was about 5 ms of the server's time per submission: after the COPY of the
-- lines, the largest cost of storing one (bench/ingest_bench.sh). Both documents are written
-- by lvhcmon itself (daemon/ingest/canonical.c and response.c, whose bytes
-- tests/unit/check_ingest_json.c holds to jansson's) and read back only by it, which parses
-- them (a replay's answer, a 409's diff) and would fail loudly on a broken one. The bytes
-- stored do not change; content_sha256 was computed from them before storage.

ALTER TABLE submission ALTER COLUMN canonical TYPE text,
                       ALTER COLUMN response TYPE text;

-- lz4 stays where 0003 set it (a changed type may not keep the column's compression).
DO $$
BEGIN
    ALTER TABLE submission ALTER COLUMN canonical SET COMPRESSION lz4,
                           ALTER COLUMN response SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 is not available in this server: submission documents stay pglz-compressed';
END $$;
