/*
 * refload.c: reference data loader. Each file has a column spec (name and kind); every
 * value is checked in C before anything is sent, so errors name the file, line and column.
 * Storage semantics: target groups and providers are upserted (tokens and ledger lines
 * refer to them); every other table is replaced whole inside the same transaction, so
 * removing a row from a file removes it from the database.
 */
#include "reference/refload.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "csv_table.h"
#include "db/queries_reference.h"
#include "text.h"
#include "util/file_read.h"

typedef enum {
    COL_TEXT,      /* non-empty text */
    COL_CODE,      /* upper-case letters, 2..6 */
    COL_PRESTATIE, /* 1..5 characters, letters and digits */
    COL_AGB,       /* 8 digits */
    COL_ZK,        /* zorgkantoor 5501..5533 */
    COL_DATE,      /* YYYY-MM-DD */
    COL_DATE_OPT,  /* YYYY-MM-DD or empty */
    COL_YEAR,      /* 2000..2100 */
    COL_INT,       /* non-negative integer */
    COL_BOOL,      /* true|false */
    COL_ENUM,      /* one of spec->allowed */
    COL_UNIT_CODE, /* two digits */
    COL_ANY        /* any text, may be empty */
} col_kind;

typedef struct {
    const char *name;
    col_kind kind;
    const char *allowed; /* COL_ENUM: "|a|b|" */
} col_spec;

typedef struct {
    const char *file;
    const col_spec *cols;
    size_t n_cols;
    rq_table table; /* where its rows go (queries_reference.h), the columns in order */
} file_spec;

#define COLS(...)                                                                                  \
    ((const col_spec[]){__VA_ARGS__}), (sizeof((const col_spec[]){__VA_ARGS__}) / sizeof(col_spec))

static const file_spec FILES[] = {
    {"target_groups.csv",
     COLS({"code", COL_CODE, NULL}, {"name", COL_TEXT, NULL}, {"ca_from", COL_DATE_OPT, NULL},
          {"ca_to", COL_DATE_OPT, NULL}),
     RQ_TARGET_GROUP},
    {"providers.csv",
     COLS({"agb", COL_AGB, NULL}, {"name", COL_TEXT, NULL}, {"zorgkantoor", COL_ZK, NULL}),
     RQ_PROVIDER},
    {"prestaties.csv",
     COLS({"year", COL_YEAR, NULL}, {"code", COL_PRESTATIE, NULL}, {"target_group", COL_CODE, NULL},
          {"kind", COL_ENUM, "|time|travel|"}, {"tariff_cents", COL_INT, NULL},
          {"unit", COL_ENUM, "|hour|trip|km|"}, {"rate_applies", COL_BOOL, NULL}),
     RQ_PRESTATIE},
    {"designations.csv",
     COLS({"agb", COL_AGB, NULL}, {"target_group", COL_CODE, NULL},
          {"centre_kind", COL_ENUM, "|REC|DEC|"}, {"valid_from", COL_DATE, NULL},
          {"valid_to", COL_DATE_OPT, NULL}),
     RQ_DESIGNATION},
    {"rates.csv",
     COLS({"agb", COL_AGB, NULL}, {"year", COL_YEAR, NULL}, {"rate_bp", COL_INT, NULL}), RQ_RATE},
    {"budgets.csv",
     COLS({"year", COL_YEAR, NULL}, {"scope", COL_ENUM, "|national|target_group|provider|"},
          {"scope_key", COL_ANY, NULL}, {"cap_cents", COL_INT, NULL}),
     RQ_BUDGET},
    {"time_units.csv",
     COLS({"code", COL_UNIT_CODE, NULL}, {"minutes", COL_INT, NULL}, {"label", COL_TEXT, NULL}),
     RQ_TIME_UNIT},
    {"holidays.csv", COLS({"day", COL_DATE, NULL}, {"name", COL_TEXT, NULL}), RQ_HOLIDAY},
};
#define N_FILES (sizeof FILES / sizeof FILES[0])

const char *const *refload_file_names(size_t *n)
{
    static const char *names[N_FILES];
    for (size_t i = 0; i < N_FILES; i++)
        names[i] = FILES[i].file;
    *n = N_FILES;
    return names;
}

static bool parse_long(const char *s, long long min, long long max)
{
    if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 18)
        return false;
    long long v = strtoll(s, NULL, 10);
    return v >= min && v <= max;
}

/* @return NULL when @a v is a valid value of @a c, else the reason. */
static const char *check_value(const col_spec *c, const char *v)
{
    lv_date d;
    size_t n = strlen(v);
    switch (c->kind) {
    case COL_TEXT:
        return n == 0 ? "must not be empty" : n > 200 ? "longer than 200 characters" : NULL;
    case COL_ANY:
        return n > 200 ? "longer than 200 characters" : NULL;
    case COL_CODE:
        if (n < 2 || n > 6)
            return "must be 2 to 6 upper-case letters";
        for (size_t i = 0; i < n; i++)
            if (v[i] < 'A' || v[i] > 'Z')
                return "must be 2 to 6 upper-case letters";
        return NULL;
    case COL_PRESTATIE:
        if (n < 1 || n > 5)
            return "must be 1 to 5 letters or digits";
        for (size_t i = 0; i < n; i++)
            if (!isalnum((unsigned char)v[i]))
                return "must be 1 to 5 letters or digits";
        return NULL;
    case COL_AGB:
        return text_is_digits(v, 8) ? NULL : "must be an AGB code of 8 digits";
    case COL_ZK:
        return text_is_digits(v, 4) && parse_long(v, 5501, 5533)
                   ? NULL
                   : "must be a zorgkantoor code 5501..5533";
    case COL_DATE:
        return lv_date_parse_iso(v, &d) ? NULL : "must be a date YYYY-MM-DD";
    case COL_DATE_OPT:
        return n == 0 || lv_date_parse_iso(v, &d) ? NULL : "must be a date YYYY-MM-DD or empty";
    case COL_YEAR:
        return parse_long(v, 2000, 2100) ? NULL : "must be a year 2000..2100";
    case COL_INT:
        return parse_long(v, 0, 999999999999LL) ? NULL : "must be a non-negative integer";
    case COL_BOOL:
        return strcmp(v, "true") == 0 || strcmp(v, "false") == 0 ? NULL : "must be true or false";
    case COL_ENUM: {
        char needle[64];
        snprintf(needle, sizeof needle, "|%s|", v);
        return n > 0 && n < 60 && strstr(c->allowed, needle) ? NULL
                                                             : "is not one of the allowed values";
    }
    case COL_UNIT_CODE:
        return text_is_digits(v, 2) ? NULL : "must be two digits";
    }
    return "unknown column kind";
}

/* Records a failed statement in @a err: where (file and line), and PostgreSQL's message
 * and detail (a foreign key's missing key, say). */
static bool stored(db_conn *conn, db_status st, lv_error *err, const char *file, int line)
{
    if (st == DB_OK)
        return true;
    db_conn_error_get(conn, st, err);
    if (line > 0)
        lv_error_prefix(err, "%s line %d", file, line);
    else
        lv_error_prefix(err, "%s", file);
    return false;
}

/* Reads, checks and stores one file inside the open transaction. */
static bool load_file(db_conn *conn, const char *dir, const file_spec *f, size_t *rows,
                      lv_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, f->file);
    size_t len;
    char *data = file_read_all(path, 64u * 1024 * 1024, &len, err);
    if (!data) {
        lv_error_prefix(err, "%s", f->file);
        return false;
    }
    const char *names[16];
    for (size_t c = 0; c < f->n_cols; c++)
        names[c] = f->cols[c].name;
    csv_table *t = csv_table_parse(data, len, names, f->n_cols, err);
    free(data);
    if (!t) {
        lv_error_prefix(err, "%s", f->file);
        return false;
    }
    bool ok = stored(conn, rq_clear(conn, f->table), err, f->file, 0);
    for (size_t r = 0; ok && r < t->n_rows; r++) {
        const csv_table_row *row = &t->rows[r];
        for (size_t c = 0; c < f->n_cols && ok; c++) {
            const char *why = check_value(&f->cols[c], row->fields[c]);
            if (why) {
                lv_error_set(err, LV_9108_FIELD_INVALID, row->line_no, f->cols[c].name,
                             "%s line %d: %s: %s (got '%.40s')", f->file, row->line_no,
                             f->cols[c].name, why, row->fields[c]);
                ok = false;
            }
        }
        if (!ok)
            break;
        const char *v[16];
        char order[24];
        for (size_t c = 0; c < f->n_cols; c++)
            v[c] = row->fields[c];
        if (f->table == RQ_TARGET_GROUP) { /* the file's order is the contract's */
            snprintf(order, sizeof order, "%zu", r);
            v[f->n_cols] = order;
        }
        ok = stored(conn, rq_store(conn, f->table, v), err, f->file, row->line_no);
    }
    *rows = t->n_rows;
    csv_table_free(t);
    return ok;
}

/* The audit row of a load: the folder, and the rows of each file. */
static bool record_load(db_conn *conn, const char *dir, const audit_actor *who,
                        const refload_summary *summary, lv_error *err)
{
    json_t *rows = json_object();
    for (size_t i = 0; i < N_FILES && rows != NULL; i++)
        json_object_set_new(rows, FILES[i].file, json_integer((json_int_t)summary->rows[i]));
    json_t *detail = json_pack("{s:s, s:o}", "folder", dir, "rows", rows);
    char object[300];
    snprintf(object, sizeof object, "reference:%.280s", dir);
    audit_event ev = {AUDIT_REFERENCE_LOAD, object, NULL, "ok", detail};
    db_status st = detail != NULL ? audit_record(conn, who, &ev) : DB_FAILED;
    json_decref(detail);
    return stored(conn, st, err, "(audit trail)", 0);
}

bool refload_dir(db_conn *conn, const char *dir, const audit_actor *who, refload_summary *summary,
                 lv_error *err)
{
    memset(summary, 0, sizeof *summary);
    if (!stored(conn, db_begin(conn), err, "cannot start a transaction", 0))
        return false;
    bool ok = true;
    for (size_t i = 0; i < N_FILES && ok; i++)
        ok = load_file(conn, dir, &FILES[i], &summary->rows[i], err);
    ok = ok && record_load(conn, dir, who, summary, err);
    /* daemons reload their reference data cache on this */
    ok = ok && stored(conn, rq_notify_loaded(conn), err, "(notify)", 0);
    ok = ok && stored(conn, db_commit(conn), err, "commit failed", 0);
    if (!ok)
        db_rollback(conn);
    return ok;
}
