/*
 * queries_token.c: API tokens (table api_token). Only the SHA-256 of a token is stored or
 * looked up; the token itself never reaches the database.
 */
#include "db/db_statement.h"

const db_statement db_queries_token[] = {
    {"token_by_hash",
     "SELECT id, role, coalesce(provider_agb, ''), label FROM api_token"
     " WHERE token_hash = $1 AND revoked_at IS NULL",
     1},
    {"token_insert",
     "INSERT INTO api_token (token_hash, role, provider_agb, label)"
     " VALUES ($1, $2, nullif($3, ''), $4) RETURNING id",
     4},
    {"token_provider_exists", "SELECT 1 FROM provider WHERE agb = $1", 1},
    DB_STATEMENT_END,
};
