/*
 * db_result.h: running a named statement and decoding its rows through a result spec, the
 * way every queries_<area>.c reads the database.
 *
 * A result spec is an array describing, per wanted column, its NAME in the result, its
 * type, where the value goes and whether it may be NULL:
 *
 *     char role[16];
 *     int64_t id;
 *     db_result_spec spec[] = {db_rs_int64("id", &id), db_rs_text("role", role, sizeof role),
 *                              db_rs_end()};
 *     db_status st = db_query_one(db, "token_by_hash", params, spec);
 *
 * Columns are found by name, never by position, and checked before the first row is
 * decoded: a name the result does not have, a type that does not match (an integer column
 * for a text destination), a NULL where none is allowed, a text longer than its buffer or
 * a number out of range make the call DB_FAILED, logged with the statement and the column.
 * So a column renamed or reordered in SQL fails loudly instead of filling a struct with the
 * wrong value.
 *
 * Types (destination in brackets):
 *   text      [char buf[size]]   text, varchar, char, name; the value must fit
 *   text_ref  [const char *]     the same, pointing into the rows (valid until
 *                                db_rows_free(); not with db_query_one())
 *   text_dup  [char *]           the same, a malloc'ed copy the caller frees
 *   int64     [int64_t]          smallint, integer, bigint
 *   int       [int]              the same, within int's range
 *   bool      [bool]             boolean
 *   float8    [double]           real, double precision, numeric
 *   day       [lv_date]          date, or an integer day number (date - DATE '1970-01-01')
 *   json      [json_t *]         json, jsonb; a new reference the caller decrefs
 * A nullable column (db_rs_nullable()) gives "" / NULL / 0 / false / LV_DATE_NONE for NULL
 * and can report it in a bool.
 *
 * Ownership: db_query() returns rows the caller releases with db_rows_free(); a spec whose
 * decoding failed has released what it had allocated for that row.
 */
#ifndef LVHCMON_DB_RESULT_H
#define LVHCMON_DB_RESULT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "db/db_conn.h"

typedef enum {
    DB_COL_END = 0,
    DB_COL_TEXT,
    DB_COL_TEXT_REF,
    DB_COL_TEXT_DUP,
    DB_COL_INT64,
    DB_COL_INT,
    DB_COL_BOOL,
    DB_COL_FLOAT8,
    DB_COL_DAY,
    DB_COL_JSON
} db_col_type;

/** One column of a result spec. Build entries with the db_rs_*() functions. */
typedef struct {
    const char *name; /* the column's name in the result (its SQL alias) */
    db_col_type type;
    void *dst;       /* where the value goes (see the types above) */
    size_t dst_size; /* text: size of the buffer */
    bool nullable;   /* NULL allowed (else it is an error) */
    bool *is_null;   /* receives whether the value was NULL; may be NULL */
    /* private: the column found for this entry in the rows it was last bound to */
    int column;
    unsigned long bound_to;
} db_result_spec;

db_result_spec db_rs_text(const char *name, char *buf, size_t size);
db_result_spec db_rs_text_ref(const char *name, const char **out);
db_result_spec db_rs_text_dup(const char *name, char **out);
db_result_spec db_rs_int64(const char *name, int64_t *out);
db_result_spec db_rs_int(const char *name, int *out);
db_result_spec db_rs_bool(const char *name, bool *out);
db_result_spec db_rs_float8(const char *name, double *out);
db_result_spec db_rs_day(const char *name, lv_date *out);
db_result_spec db_rs_json(const char *name, json_t **out);
/** @return @a spec, allowed to be NULL; @a is_null (may be NULL) receives whether it was. */
db_result_spec db_rs_nullable(db_result_spec spec, bool *is_null);
/** @return the entry that ends every spec. */
db_result_spec db_rs_end(void);

/** The rows of one statement's result. */
typedef struct db_rows db_rows;

/**
 * Runs a registered statement and keeps its rows.
 * @param params text values for $1..$n (NULL for SQL NULL), or NULL when it has none
 * @param out receives the rows (release with db_rows_free()), NULL unless DB_OK
 * @return DB_OK, or the failure (recorded on @a c and logged)
 */
db_status db_query(db_conn *c, const char *name, const char *const *params, db_rows **out);

/** @return the number of rows. */
size_t db_rows_count(const db_rows *rows);

/**
 * Decodes row @a row (0-based) into the destinations of @a spec; the spec is checked
 * against the rows' columns on first use (see the file comment).
 * @return DB_OK, or DB_FAILED (logged; nothing this call allocated is kept)
 */
db_status db_rows_decode(db_rows *rows, size_t row, db_result_spec *spec);

/**
 * Decodes each row of @a rows into @a spec and calls @a fn after each.
 * @param fn handles the decoded row (@a cls, the row's index); a status other than DB_OK
 *        stops the walk and is returned (DB_FAILED for out of memory)
 * @return DB_OK after every row, or the first failure
 */
db_status db_rows_each(db_rows *rows, db_result_spec *spec, db_status (*fn)(void *cls, size_t row),
                       void *cls);

/**
 * Decodes every row into @a spec, whose destinations are the fields of the struct at
 * @a row, and copies that struct (@a size bytes) after each decode into a new array: the
 * rows as an array of structs. The text_dup and json values then belong to the copies.
 * @param out receives the array (free(), and what its copies own; at least one element is
 *        allocated) on DB_OK
 * @return DB_OK, or the failure (nothing is kept)
 */
db_status db_rows_collect(db_rows *rows, db_result_spec *spec, const void *row, size_t size,
                          void **out);

/** Releases @a rows (text_ref values into them become invalid). Accepts NULL. */
void db_rows_free(db_rows *rows);

/**
 * Runs a statement that returns at most one row and decodes it into @a spec.
 * @return DB_OK; DB_NOT_FOUND for no row (destinations untouched); DB_FAILED for more
 *         than one row, a spec that does not match, or a text_ref entry; or the failure
 */
db_status db_query_one(db_conn *c, const char *name, const char *const *params,
                       db_result_spec *spec);

/**
 * Runs a statement and decodes each row into @a spec, calling @a fn after each.
 * @param fn handles the decoded row, as with db_rows_each(); text_ref values are valid
 *        during the call only
 * @return DB_OK after every row, or the first failure
 */
db_status db_query_each(db_conn *c, const char *name, const char *const *params,
                        db_result_spec *spec, db_status (*fn)(void *cls, size_t row), void *cls);

/**
 * Runs a statement whose rows, if any, do not matter.
 * @return DB_OK, or the failure
 */
db_status db_command(db_conn *c, const char *name, const char *const *params);

/** Frees what text_dup and json entries of @a spec hold and sets them to NULL. */
void db_result_spec_release(db_result_spec *spec);

#endif
