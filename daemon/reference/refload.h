/*
 * refload.h: `lvhcmon reference load DIR`: reads the reference CSV files of doc/api.md (plus
 * time_units.csv and holidays.csv, and the optional profile.csv and zorgkantoren.csv),
 * checks every value, and stores them in ONE transaction, so a bad file changes nothing.
 * Loading the same folder twice gives the same state.
 */
#ifndef LVHCMON_REFLOAD_H
#define LVHCMON_REFLOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "audit.h"
#include "db/db_conn.h"

typedef struct {
    size_t rows[16]; /* per file, in refload_file_names() order (an absent optional file: 0) */
} refload_summary;

/** @return the file names loaded, in load order; *n receives their count. */
const char *const *refload_file_names(size_t *n);

/**
 * Loads every file of @a dir, and records the load in the audit trail (reference.load,
 * by @a who) in the same transaction. On failure fills @a err (message "FILE line N:
 * column: reason", field the column) and returns false; the database is unchanged then.
 */
bool refload_dir(db_conn *conn, const char *dir, const audit_actor *who, refload_summary *summary,
                 lv_error *err);

#endif
