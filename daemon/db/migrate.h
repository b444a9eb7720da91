/*
 * migrate.h: the schema migrator. The schema is the numbered files sql/NNNN_name.sql,
 * applied in order, each once, and recorded in schema_migrations(version, name, sha256,
 * applied_at).
 *
 * All pending files are applied in one transaction that first takes a fixed advisory lock
 * (pg_advisory_xact_lock(MIGRATE_LOCK_KEY)): when two daemons (or a daemon and
 * `lvhcmon migrate`) start at once, the second waits for the first to commit and then finds
 * nothing left to do. A database that records a migration whose file is missing, or whose
 * file changed since it was applied (checksum), is refused: the code would not match the
 * schema it runs on.
 *
 * Migration files must not contain transaction control (BEGIN/COMMIT): they run inside the
 * migrator's transaction, so a failing file leaves the database as it was.
 *
 * Ownership: migrate_scan_new() returns a set the caller owns; release it with
 * migrate_set_free().
 */
#ifndef LVHCMON_MIGRATE_H
#define LVHCMON_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>

#include "db/db_conn.h"

/** The advisory lock key all migrators agree on ("lvhcmon" in ASCII, as an integer). */
#define MIGRATE_LOCK_KEY "30529488201543534"

/** One migration file. */
typedef struct {
    int version;     /* NNNN */
    char *name;      /* file name, "0001_schema.sql" */
    char *path;      /* full path */
    char sha256[65]; /* hex SHA-256 of the file's bytes */
} migration_file;

/** The migration files of one folder, by increasing version. */
typedef struct {
    migration_file *files;
    size_t n;
} migration_set;

/**
 * Reads the folder of migration files. Files not ending in ".sql" are ignored; a ".sql"
 * file not named NNNN_name.sql, or two files with one version, is an error.
 * @param sql_dir the folder
 * @param err receives why the folder cannot be used (may be NULL)
 * @return a new set owned by the caller, or NULL
 */
migration_set *migrate_scan_new(const char *sql_dir, lv_error *err);

/** Releases @a set. Accepts NULL. */
void migrate_set_free(migration_set *set);

/** @return the highest version in @a set, 0 when it is empty. */
int migrate_newest_version(const migration_set *set);

/**
 * Applies every migration of @a set that the database has not recorded, after checking the
 * recorded ones against the files.
 * @param c a direct-mode connection (db_conn_new(conninfo, false)) on which
 *        db_conn_ensure() succeeded
 * @param set the migration files
 * @param err receives why migrating failed or was refused (may be NULL)
 * @return the number of migrations applied (0: already current), or -1 on failure
 */
int migrate_apply(db_conn *c, const migration_set *set, lv_error *err);

/**
 * Checks, without changing anything, that the database schema is exactly @a set: every
 * file applied and none changed or missing (what `lvhcmon` commands require before they
 * touch data).
 * @param c a connection on which db_conn_ensure() succeeded
 * @param set the migration files
 * @param err receives what differs (code schema_not_current, a changed or missing file, the
 *        hint "run `lvhcmon migrate`"), or the database failure (may be NULL)
 * @return true when the schema is current
 */
bool migrate_check(db_conn *c, const migration_set *set, lv_error *err);

#endif
