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
#include "db/db_statement.h"
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
    const char *clear_statement;  /* NULL: the table is upserted, not replaced */
    const char *insert_statement; /* $1..$n = the columns in order */
} file_spec;

#define COLS(...)                                                                                  \
    ((const col_spec[]){__VA_ARGS__}), (sizeof((const col_spec[]){__VA_ARGS__}) / sizeof(col_spec))

static const file_spec FILES[] = {
    {"target_groups.csv",
     COLS({"code", COL_CODE, NULL}, {"name", COL_TEXT, NULL}, {"ca_from", COL_DATE_OPT, NULL},
          {"ca_to", COL_DATE_OPT, NULL}),
     NULL, "reference_upsert_target_group"},
    {"providers.csv",
     COLS({"agb", COL_AGB, NULL}, {"name", COL_TEXT, NULL}, {"zorgkantoor", COL_ZK, NULL}), NULL,
     "reference_upsert_provider"},
    {"prestaties.csv",
     COLS({"year", COL_YEAR, NULL}, {"code", COL_PRESTATIE, NULL}, {"target_group", COL_CODE, NULL},
          {"kind", COL_ENUM, "|time|travel|"}, {"tariff_cents", COL_INT, NULL},
          {"unit", COL_ENUM, "|hour|trip|km|"}, {"rate_applies", COL_BOOL, NULL}),
     "reference_clear_prestatie", "reference_insert_prestatie"},
    {"designations.csv",
     COLS({"agb", COL_AGB, NULL}, {"target_group", COL_CODE, NULL},
          {"centre_kind", COL_ENUM, "|REC|DEC|"}, {"valid_from", COL_DATE, NULL},
          {"valid_to", COL_DATE_OPT, NULL}),
     "reference_clear_designation", "reference_insert_designation"},
    {"rates.csv",
     COLS({"agb", COL_AGB, NULL}, {"year", COL_YEAR, NULL}, {"rate_bp", COL_INT, NULL}),
     "reference_clear_rate", "reference_insert_rate"},
    {"budgets.csv",
     COLS({"year", COL_YEAR, NULL}, {"scope", COL_ENUM, "|national|target_group|provider|"},
          {"scope_key", COL_ANY, NULL}, {"cap_cents", COL_INT, NULL}),
     "reference_clear_budget", "reference_insert_budget"},
    {"time_units.csv",
     COLS({"code", COL_UNIT_CODE, NULL}, {"minutes", COL_INT, NULL}, {"label", COL_TEXT, NULL}),
     "reference_clear_time_unit", "reference_insert_time_unit"},
    {"holidays.csv", COLS({"day", COL_DATE, NULL}, {"name", COL_TEXT, NULL}),
     "reference_clear_holiday", "reference_insert_holiday"},
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

static bool all_digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
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
        return all_digits(v, 8) ? NULL : "must be an AGB code of 8 digits";
    case COL_ZK:
        return all_digits(v, 4) && parse_long(v, 5501, 5533)
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
        return all_digits(v, 2) ? NULL : "must be two digits";
    }
    return "unknown column kind";
}

static bool exec_ok(db_conn *conn, const char *statement, const char *const *v, char *err,
                    size_t err_size, const char *file, int line)
{
    PGresult *res = db_exec(conn, statement, v);
    bool ok = db_result_ok(res);
    if (!ok) {
        const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
        snprintf(err, err_size, "%s line %d: %s%s%s", file, line, db_conn_error(conn),
                 detail ? ": " : "", detail ? detail : "");
    }
    PQclear(res);
    return ok;
}

/* Reads, checks and stores one file inside the open transaction. */
static bool load_file(db_conn *conn, const char *dir, const file_spec *f, size_t *rows, char *err,
                      size_t err_size)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, f->file);
    size_t len;
    char read_err[256];
    char *data = file_read_all(path, 64u * 1024 * 1024, &len, read_err, sizeof read_err);
    if (!data) {
        snprintf(err, err_size, "%s: %s", f->file, read_err);
        return false;
    }
    const char *names[16];
    for (size_t c = 0; c < f->n_cols; c++)
        names[c] = f->cols[c].name;
    lv_parse_error perr = {0};
    csv_table *t = csv_table_parse(data, len, names, f->n_cols, &perr);
    free(data);
    if (!t) {
        snprintf(err, err_size, "%s: %s", f->file, perr.message);
        return false;
    }
    bool ok = true;
    if (f->clear_statement)
        ok = exec_ok(conn, f->clear_statement, NULL, err, err_size, f->file, 0);
    for (size_t r = 0; ok && r < t->n_rows; r++) {
        const csv_table_row *row = &t->rows[r];
        for (size_t c = 0; c < f->n_cols && ok; c++) {
            const char *why = check_value(&f->cols[c], row->fields[c]);
            if (why) {
                snprintf(err, err_size, "%s line %d: %s: %s (got '%.40s')", f->file, row->line_no,
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
        if (strcmp(f->file, "target_groups.csv") == 0) { /* the file's order is the contract's */
            snprintf(order, sizeof order, "%zu", r);
            v[f->n_cols] = order;
        }
        ok = exec_ok(conn, f->insert_statement, v, err, err_size, f->file, row->line_no);
    }
    *rows = t->n_rows;
    csv_table_free(t);
    return ok;
}

bool refload_dir(db_conn *conn, const char *dir, refload_summary *summary, char *err,
                 size_t err_size)
{
    memset(summary, 0, sizeof *summary);
    if (!db_begin(conn)) {
        snprintf(err, err_size, "cannot start a transaction: %s", db_conn_error(conn));
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < N_FILES && ok; i++)
        ok = load_file(conn, dir, &FILES[i], &summary->rows[i], err, err_size);
    if (ok) /* daemons reload their reference data cache on this */
        ok = exec_ok(conn, "reference_notify", NULL, err, err_size, "(notify)", 0);
    if (ok && !db_commit(conn)) {
        snprintf(err, err_size, "commit failed: %s", db_conn_error(conn));
        ok = false;
    }
    if (!ok)
        db_rollback(conn);
    return ok;
}
