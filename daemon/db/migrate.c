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
static char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    char why[256];
    char *buf = file_read_all(path, MIGRATION_FILE_MAX, len, why, sizeof why);
    if (buf == NULL)
        snprintf(err, errlen, "cannot read '%s': %s", path, why);
    return buf;
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

migration_set *migrate_scan_new(const char *sql_dir, char *err, size_t errlen)
{
    DIR *dir = opendir(sql_dir);
    if (dir == NULL) {
        snprintf(err, errlen, "cannot open the migrations folder '%s': %s", sql_dir,
                 strerror(errno));
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
            snprintf(err, errlen, "%s/%s: a migration file must be named NNNN_name.sql", sql_dir,
                     name);
            ok = false;
            break;
        }
        if (set->n == cap) {
            cap = cap ? cap * 2 : 8;
            migration_file *grown = realloc(set->files, cap * sizeof *grown);
            if (grown == NULL) {
                snprintf(err, errlen, "out of memory");
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
            snprintf(err, errlen, "out of memory");
            ok = false;
            break;
        }
        snprintf(m->path, plen, "%s/%s", sql_dir, name);
        size_t flen;
        char *body = read_file(m->path, &flen, err, errlen);
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
                snprintf(err, errlen, "%s: %s and %s have the same version", sql_dir,
                         set->files[i - 1].name, set->files[i].name);
                ok = false;
                break;
            }
        }
    }
    if (!ok) {
        if (set == NULL)
            snprintf(err, errlen, "out of memory");
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
static bool exec_ok(db_conn *c, const char *name, const char *const *params, char *err,
                    size_t errlen)
{
    PGresult *res = db_exec(c, name, params);
    bool ok = db_result_ok(res);
    PQclear(res);
    if (!ok)
        snprintf(err, errlen, "%s", db_conn_error(c));
    return ok;
}

/* Checks what the database recorded against the files and marks the recorded ones in
 * @recorded (one flag per file of @set). @return the highest recorded version, or -1 with
 * err set when the database must be refused. */
static int check_recorded(db_conn *c, const migration_set *set, bool *recorded, char *err,
                          size_t errlen)
{
    PGresult *res = db_exec(c, "migrate_list", NULL);
    if (!db_result_ok(res)) {
        snprintf(err, errlen, "%s", db_conn_error(c));
        PQclear(res);
        return -1;
    }
    int newest = 0;
    for (int row = 0; row < PQntuples(res) && newest >= 0; row++) {
        int version = atoi(PQgetvalue(res, row, 0));
        const char *name = PQgetvalue(res, row, 1);
        const char *sha = PQgetvalue(res, row, 2);
        const migration_file *m = find_version(set, version);
        if (m == NULL) {
            snprintf(err, errlen,
                     "the database records migration %04d (%s) but its file is missing from the "
                     "migrations folder; refusing to run against a schema this code does not "
                     "know",
                     version, name);
            newest = -1;
        } else if (strcmp(m->sha256, sha) != 0) {
            snprintf(err, errlen,
                     "migration %s changed after it was applied: checksum in the database "
                     "%.12s..., file %.12s...; restore the file (never edit an applied "
                     "migration, add a new one)",
                     m->name, sha, m->sha256);
            newest = -1;
        } else {
            recorded[m - set->files] = true;
            if (version > newest)
                newest = version;
        }
    }
    PQclear(res);
    return newest;
}

/* Runs one pending migration file and records it. */
static bool apply_one(db_conn *c, const migration_file *m, char *err, size_t errlen)
{
    size_t len;
    char *body = read_file(m->path, &len, err, errlen);
    if (body == NULL)
        return false;
    /* The file must still be the one we hashed when scanning. */
    char sha[65];
    sha256_hex(body, len, sha);
    bool same = strcmp(sha, m->sha256) == 0;
    bool ran = same && db_exec_script(c, body);
    free(body);
    if (!same) {
        snprintf(err, errlen, "%s changed while the migrator was running", m->name);
        return false;
    }
    if (!ran) {
        snprintf(err, errlen, "migration %s failed: %s", m->name, db_conn_error(c));
        return false;
    }
    char version[16];
    snprintf(version, sizeof version, "%d", m->version);
    const char *params[] = {version, m->name, m->sha256};
    return exec_ok(c, "migrate_record", params, err, errlen);
}

static int apply_locked(db_conn *c, const migration_set *set, bool *recorded, char *err,
                        size_t errlen)
{
    const char *lock_params[] = {MIGRATE_LOCK_KEY};
    if (!exec_ok(c, "migrate_lock", lock_params, err, errlen) ||
        !exec_ok(c, "migrate_bootstrap", NULL, err, errlen))
        return -1;
    int newest = check_recorded(c, set, recorded, err, errlen);
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
            snprintf(err, errlen,
                     "migration %s is older than the newest applied one (%04d) but was never "
                     "applied; give it a number above %04d",
                     m->name, newest, newest);
            return -1;
        }
        if (!apply_one(c, m, err, errlen))
            return -1;
        applied++;
    }
    return applied;
}

int migrate_apply(db_conn *c, const migration_set *set, char *err, size_t errlen)
{
    if (!db_begin(c)) {
        snprintf(err, errlen, "%s", db_conn_error(c));
        return -1;
    }
    bool *recorded = calloc(set->n + 1, sizeof *recorded);
    int applied = recorded != NULL ? apply_locked(c, set, recorded, err, errlen) : -1;
    if (recorded == NULL)
        snprintf(err, errlen, "out of memory");
    free(recorded);
    if (applied < 0) {
        db_rollback(c);
        return -1;
    }
    if (!db_commit(c)) {
        snprintf(err, errlen, "%s", db_conn_error(c));
        return -1;
    }
    return applied;
}

bool migrate_check(db_conn *c, const migration_set *set, char *err, size_t errlen)
{
    bool *recorded = calloc(set->n + 1, sizeof *recorded);
    if (recorded == NULL) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    int newest = check_recorded(c, set, recorded, err, errlen);
    bool ok = newest >= 0;
    for (size_t i = 0; ok && i < set->n; i++) {
        if (!recorded[i]) {
            snprintf(err, errlen,
                     "the database schema is not current (%s is not applied); run `lvhcmon "
                     "migrate` (or start lvhcmond) first",
                     set->files[i].name);
            ok = false;
        }
    }
    free(recorded);
    return ok;
}
