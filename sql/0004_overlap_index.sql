-- 0004_overlap_index.sql: the index behind the duplicate check (0587) on overlapping periods.
--
-- A debit is a duplicate when its period overlaps an accepted, uncredited debit of the same
-- provider, client (keyed hash) and prestatie. A line covers one calendar month, so the
-- candidates are the provider's accepted lines of that client, prestatie and service month;
-- ingest loads them by that key before validation. The earlier index on the first day of
-- the period served the old rule (the same period only) and is replaced.

CREATE INDEX declaration_line_overlap
    ON declaration_line (provider_agb, client_hash, prestatie, service_month) WHERE accepted;

DROP INDEX declaration_line_dup;
