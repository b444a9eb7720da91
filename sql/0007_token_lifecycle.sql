-- 0007_token_lifecycle.sql: API tokens that expire, and when each was last used.
--
-- expires_at: set by `lvhcmon token add --expires-days N`; NULL never expires. A token is
-- refused once it is revoked or expired (daemon/auth.c caches a lookup for a few seconds
-- only, so every instance refuses it within that time).
-- last_used_at: written by the daemon at most once a minute per token (not once per
-- request), so it says when a token was last used to within about a minute.

ALTER TABLE api_token
    ADD COLUMN expires_at timestamptz,
    ADD COLUMN last_used_at timestamptz,
    ADD CONSTRAINT api_token_expires_after_creation
        CHECK (expires_at IS NULL OR expires_at > created_at);

-- The daemon's only write to a token (0006: lvhcmon_runtime).
GRANT UPDATE (last_used_at) ON api_token TO lvhcmon_runtime;
