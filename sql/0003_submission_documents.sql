-- 0003_submission_documents.sql: cheaper storage of a submission's two documents.
--
-- Every stored submission keeps its canonical content (to name the fields of a 409) and its
-- first answer (returned again on a replay). For a submission of a thousand lines these are
-- some 260 kB and 190 kB of JSON, and writing them was a quarter of the time of storing the
-- submission (bench/ingest_bench.sh):
--   * canonical was jsonb. It is only ever read back whole, as text, and never queried, so
--     building the binary jsonb form bought nothing; json still checks that it is JSON.
--   * Both are compressed with lz4 where the server was built with it: several times faster
--     than the default pglz on this text, at a similar size. A server without lz4 keeps pglz.
-- A content hash is stored beside the canonical content (content_sha256) and was computed
-- from the canonical bytes before storage, so the change of text form here changes no hash.

ALTER TABLE submission ALTER COLUMN canonical TYPE json USING canonical::json;

DO $$
BEGIN
    ALTER TABLE submission ALTER COLUMN canonical SET COMPRESSION lz4,
                           ALTER COLUMN response SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 is not available in this server: submission documents stay pglz-compressed';
END $$;
