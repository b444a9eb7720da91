-- 0005_body_hmac.sql: ingest_attempt keeps a keyed fingerprint of a submission's raw body
-- instead of its SHA-256.
--
-- The raw body holds clear BSNs. An unkeyed SHA-256 of it, stored next to the canonical
-- submission that holds every other field, gives the BSN of a one-client submission away:
-- it is the only unknown, and the ~10^8 numbers that pass the 11-test are hashed in seconds.
-- From now on the daemon stores body_hmac, an HMAC-SHA256 under a key derived from the
-- client hash key (daemon/privacy.h), which is useless without that secret.
--
-- The old digests cannot be turned into the new form (the bodies are gone) and must not
-- stay: the column is first rewritten to NULL in every row, which writes the table anew
-- (a type change rewrites it), so the old values leave the table's files; then it is
-- dropped. Copies made before this migration (backups, WAL archives) still hold them.

ALTER TABLE ingest_attempt ALTER COLUMN body_sha256 TYPE bytea USING NULL;
ALTER TABLE ingest_attempt DROP COLUMN body_sha256;
ALTER TABLE ingest_attempt ADD COLUMN body_hmac text CHECK (body_hmac ~ '^[0-9a-f]{64}$');
