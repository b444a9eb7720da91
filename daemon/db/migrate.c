/*
 * migrate.c: scanning sql/ and applying pending migrations (see migrate.h).
 *
 * Order of work inside the one transaction: take the advisory lock, create
 * schema_migrations if this is a fresh database, read what is recorded, refuse on a
 * missing or changed file, then run each pending file and record it. Taking the lock before
 * creating the bookkeeping table matters: two fresh migrators would otherwise race on
 * CREATE TABLE IF NOT EXISTS, which is not safe against concurrent creation.
 */
#include "db/migrate.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_result.h"
#include "util/file_read.h"

/* Far above any real migration file; guards against reading something unintended. */
#define MIGRATION_FILE_MAX (16 * 1024 * 1024)

/* NNNN_name.sql with name of [A-Za-z0-9_-]. @return the version, or -1. */
static int version_of(const char *name)
{
    size_t len = strlen(name);
    if (len < 10 || strcmp(name + len - 4, ".sql") != 0 || name[4] != '_')
        return -1;
    for (size_t i = 0; i < 4; i++)
        if (!isdigit((unsigned char)name[i]))
            return -1;
    for (size_t i = 5; i < len - 4; i++)
        if (!isalnum((unsigned char)name[i]) && name[i] != '_' && name[i] != '-')
            return -1;
    return atoi(name);
}

/* Reads a whole migration file. @return a new NUL-terminated buffer, or NULL with err. */
static char *read_file(const char *path, size_t *len, lv_error *err)
{
    char *buf = file_read_all(path, MIGRATION_FILE_MAX, len, err);
    if (buf == NULL)
        lv_error_prefix(err, "cannot read '%s'", path);
    return buf;
}

/* The failure of a statement as the migrator's error. */
static void db_error(db_conn *c, db_status st, lv_error *err)
{
    db_conn_error_get(c, st, err);
}

static void sha256_hex(const char *data, size_t len, char hex[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)data, len);
    sodium_bin2hex(hex, 65, digest, sizeof digest);
}

static int by_version(const void *a, const void *b)
{
    const migration_file *x = a, *y = b;
    return (x->version > y->version) - (x->version < y->version);
}

migration_set *migrate_scan_new(const char *sql_dir, lv_error *err)
{
    DIR *dir = opendir(sql_dir);
    if (dir == NULL) {
        lv_error_set(err, LV_FILE_UNREADABLE, 0, NULL, "cannot open the migrations folder '%s': %s",
                     sql_dir, strerror(errno));
        return NULL;
    }
    migration_set *set = calloc(1, sizeof *set);
    size_t cap = 0;
    bool ok = set != NULL;
    struct dirent *entry;
    while (ok && (entry = readdir(dir)) != NULL) {
        const char *name = entry->d_name;
        size_t len = strlen(name);
        if (len < 4 || strcmp(name + len - 4, ".sql") != 0)
            continue;
        int version = version_of(name);
        if (version < 0) {
            lv_error_set(err, LV_FILE_UNREADABLE, 0, NULL,
                         "%s/%s: a migration file must be named NNNN_name.sql", sql_dir, name);
            ok = false;
            break;
        }
        if (set->n == cap) {
            cap = cap ? cap * 2 : 8;
            migration_file *grown = realloc(set->files, cap * sizeof *grown);
            if (grown == NULL) {
                lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "out of memory");
                ok = false;
                break;
            }
            set->files = grown;
        }
        migration_file *m = &set->files[set->n];
        memset(m, 0, sizeof *m);
        m->version = version;
        m->name = strdup(name);
        size_t plen = strlen(sql_dir) + 1 + len + 1;
        m->path = malloc(plen);
        set->n++;
        if (m->name == NULL || m->path == NULL) {
            lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "out of memory");
            ok = false;
            break;
        }
        snprintf(m->path, plen, "%s/%s", sql_dir, name);
        size_t flen;
        char *body = read_file(m->path, &flen, err);
        if (body == NULL) {
            ok = false;
            break;
        }
        sha256_hex(body, flen, m->sha256);
        free(body);
    }
    closedir(dir);
    if (ok && set->n > 0) {
        qsort(set->files, set->n, sizeof set->files[0], by_version);
        for (size_t i = 1; i < set->n; i++) {
            if (set->files[i].version == set->files[i - 1].version) {
                lv_error_set(err, LV_FILE_UNREADABLE, 0, NULL,
                             "%s: %s and %s have the same version", sql_dir, set->files[i - 1].name,
                             set->files[i].name);
                ok = false;
                break;
            }
        }
    }
    if (!ok) {
        if (set == NULL)
            lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "out of memory");
        migrate_set_free(set);
        return NULL;
    }
    return set;
}

void migrate_set_free(migration_set *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < set->n; i++) {
        free(set->files[i].name);
        free(set->files[i].path);
    }
    free(set->files);
    free(set);
}

int migrate_newest_version(const migration_set *set)
{
    return set->n > 0 ? set->files[set->n - 1].version : 0;
}

static const migration_file *find_version(const migration_set *set, int version)
{
    for (size_t i = 0; i < set->n; i++)
        if (set->files[i].version == version)
            return &set->files[i];
    return NULL;
}

/* Runs a statement that returns nothing we need. */
static bool exec_ok(db_conn *c, const char *name, const char *const *params, lv_error *err)
{
    db_status st = db_command(c, name, params);
    if (st != DB_OK)
        db_error(c, st, err);
    return st == DB_OK;
}

/* Checks what the database recorded against the files and marks the recorded ones in
 * @recorded (one flag per file of @set). @return the highest recorded version, or -1 with
 * err set when the database must be refused. */
static int check_recorded(db_conn *c, const migration_set *set, bool *recorded, lv_error *err)
{
    db_rows *rows;
    db_status st = db_query(c, "migrate_list", NULL, &rows);
    if (st != DB_OK) {
        db_error(c, st, err);
        return -1;
    }
    int version;
    char name[256], sha[65];
    db_result_spec spec[] = {db_rs_int("version", &version), db_rs_text("name", name, sizeof name),
                             db_rs_text("sha256", sha, sizeof sha), db_rs_end()};
    int newest = 0;
    for (size_t row = 0; row < db_rows_count(rows) && newest >= 0; row++) {
        st = db_rows_decode(rows, row, spec);
        if (st != DB_OK) {
            db_error(c, st, err);
            newest = -1;
            break;
        }
        const migration_file *m = find_version(set, version);
        if (m == NULL) {
            lv_error_set(err, LV_SCHEMA_NOT_CURRENT, 0, NULL,
                         "the database records migration %04d (%s) but its file is missing "
                         "from the migrations folder; refusing to run against a schema this "
                         "code does not know",
                         version, name);
            newest = -1;
        } else if (strcmp(m->sha256, sha) != 0) {
            lv_error_set(err, LV_SCHEMA_NOT_CURRENT, 0, NULL,
                         "migration %s changed after it was applied: checksum in the database "
                         "%.12s..., file %.12s...",
                         m->name, sha, m->sha256);
            lv_error_hint(err, "restore the file (never edit an applied migration, add a new "
                               "one)");
            newest = -1;
        } else {
            recorded[m - set->files] = true;
            if (version > newest)
                newest = version;
        }
    }
    db_rows_free(rows);
    return newest;
}

/* Runs one pending migration file and records it. */
static bool apply_one(db_conn *c, const migration_file *m, lv_error *err)
{
    size_t len;
    char *body = read_file(m->path, &len, err);
    if (body == NULL)
        return false;
    /* The file must still be the one we hashed when scanning. */
    char sha[65];
    sha256_hex(body, len, sha);
    bool same = strcmp(sha, m->sha256) == 0;
    db_status st = same ? db_exec_script(c, body) : DB_FAILED;
    free(body);
    if (!same) {
        lv_error_set(err, LV_FILE_UNREADABLE, 0, NULL, "%s changed while the migrator was running",
                     m->name);
        return false;
    }
    if (st != DB_OK) {
        db_error(c, st, err);
        lv_error_prefix(err, "migration %s failed", m->name);
        return false;
    }
    char version[16];
    snprintf(version, sizeof version, "%d", m->version);
    const char *params[] = {version, m->name, m->sha256};
    return exec_ok(c, "migrate_record", params, err);
}

static int apply_locked(db_conn *c, const migration_set *set, bool *recorded, lv_error *err)
{
    const char *lock_params[] = {MIGRATE_LOCK_KEY};
    if (!exec_ok(c, "migrate_lock", lock_params, err) ||
        !exec_ok(c, "migrate_bootstrap", NULL, err))
        return -1;
    int newest = check_recorded(c, set, recorded, err);
    if (newest < 0)
        return -1;
    int applied = 0;
    for (size_t i = 0; i < set->n; i++) {
        const migration_file *m = &set->files[i];
        if (recorded[i])
            continue;
        /* Never applied yet older than an applied one: added out of order. Running it now
         * could break what the later ones assume. */
        if (m->version < newest) {
            lv_error_set(err, LV_SCHEMA_NOT_CURRENT, 0, NULL,
                         "migration %s is older than the newest applied one (%04d) but was "
                         "never applied; give it a number above %04d",
                         m->name, newest, newest);
            return -1;
        }
        if (!apply_one(c, m, err))
            return -1;
        applied++;
    }
    return applied;
}

int migrate_apply(db_conn *c, const migration_set *set, lv_error *err)
{
    db_status st = db_begin(c);
    if (st != DB_OK) {
        db_error(c, st, err);
        return -1;
    }
    bool *recorded = calloc(set->n + 1, sizeof *recorded);
    int applied = recorded != NULL ? apply_locked(c, set, recorded, err) : -1;
    if (recorded == NULL)
        lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "out of memory");
    free(recorded);
    if (applied < 0) {
        db_rollback(c);
        return -1;
    }
    if ((st = db_commit(c)) != DB_OK) {
        db_error(c, st, err);
        return -1;
    }
    return applied;
}

bool migrate_check(db_conn *c, const migration_set *set, lv_error *err)
{
    bool exists = false;
    db_result_spec spec[] = {db_rs_bool("present", &exists), db_rs_end()};
    db_status st = db_query_one(c, "migrate_table_present", NULL, spec);
    if (st != DB_OK) {
        db_error(c, st, err);
        return false;
    }
    if (!exists) {
        lv_error_set(err, LV_SCHEMA_NOT_CURRENT, 0, NULL, "the database has no schema yet");
        lv_error_hint(err, "run `lvhcmon migrate` (or start lvhcmond) first");
        return false;
    }
    bool *recorded = calloc(set->n + 1, sizeof *recorded);
    if (recorded == NULL) {
        lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "out of memory");
        return false;
    }
    int newest = check_recorded(c, set, recorded, err);
    bool ok = newest >= 0;
    for (size_t i = 0; ok && i < set->n; i++) {
        if (!recorded[i]) {
            lv_error_set(err, LV_SCHEMA_NOT_CURRENT, 0, NULL,
                         "the database schema is not current (%s is not applied)",
                         set->files[i].name);
            lv_error_hint(err, "run `lvhcmon migrate` (or start lvhcmond) first");
            ok = false;
        }
    }
    free(recorded);
    return ok;
}
