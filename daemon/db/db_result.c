/*
 * db_result.c: named statements run and decoded through result specs (see db_result.h).
 *
 * Binding a spec to rows finds each entry's column by its exact name (our SQL gives every
 * column a plain lower-case alias, so PQfnumber()'s case folding and quoting rules are not
 * needed) and checks the column's type against the entry's, once per spec and result;
 * decoding a row is then a switch per entry on the text value libpq holds. Type checks use
 * the built-in type oids, which are fixed by PostgreSQL (pg_type.dat) and cannot change
 * between servers.
 */
#include "db/db_result.h"

#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_internal.h"

/* Built-in type oids (PostgreSQL's catalog/pg_type.dat). */
enum {
    OID_BOOL = 16,
    OID_NAME = 19,
    OID_INT8 = 20,
    OID_INT2 = 21,
    OID_INT4 = 23,
    OID_TEXT = 25,
    OID_JSON = 114,
    OID_FLOAT4 = 700,
    OID_FLOAT8 = 701,
    OID_BPCHAR = 1042,
    OID_VARCHAR = 1043,
    OID_DATE = 1082,
    OID_NUMERIC = 1700,
    OID_JSONB = 3802
};

struct db_rows {
    db_conn *conn; /* for recording a decoding failure; may be NULL */
    const char *statement;
    PGresult *res;
    unsigned long id; /* what specs remember they were bound to */
};

/* ---------------------------------------------------------------------------------------- */
/* Spec entries                                                                             */

static db_result_spec entry(const char *name, db_col_type type, void *dst, size_t size)
{
    return (db_result_spec){.name = name, .type = type, .dst = dst, .dst_size = size};
}

db_result_spec db_rs_text(const char *name, char *buf, size_t size)
{
    return entry(name, DB_COL_TEXT, buf, size);
}

db_result_spec db_rs_text_ref(const char *name, const char **out)
{
    return entry(name, DB_COL_TEXT_REF, (void *)out, 0);
}

db_result_spec db_rs_text_dup(const char *name, char **out)
{
    return entry(name, DB_COL_TEXT_DUP, out, 0);
}

db_result_spec db_rs_int64(const char *name, int64_t *out)
{
    return entry(name, DB_COL_INT64, out, 0);
}

db_result_spec db_rs_int(const char *name, int *out)
{
    return entry(name, DB_COL_INT, out, 0);
}

db_result_spec db_rs_bool(const char *name, bool *out)
{
    return entry(name, DB_COL_BOOL, out, 0);
}

db_result_spec db_rs_float8(const char *name, double *out)
{
    return entry(name, DB_COL_FLOAT8, out, 0);
}

db_result_spec db_rs_day(const char *name, lv_date *out)
{
    return entry(name, DB_COL_DAY, out, 0);
}

db_result_spec db_rs_json(const char *name, json_t **out)
{
    return entry(name, DB_COL_JSON, out, 0);
}

db_result_spec db_rs_nullable(db_result_spec spec, bool *is_null)
{
    spec.nullable = true;
    spec.is_null = is_null;
    return spec;
}

db_result_spec db_rs_end(void)
{
    return entry(NULL, DB_COL_END, NULL, 0);
}

void db_result_spec_release(db_result_spec *spec)
{
    for (db_result_spec *e = spec; e->type != DB_COL_END; e++) {
        if (e->type == DB_COL_TEXT_DUP) {
            free(*(char **)e->dst);
            *(char **)e->dst = NULL;
        } else if (e->type == DB_COL_JSON) {
            json_decref(*(json_t **)e->dst);
            *(json_t **)e->dst = NULL;
        }
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Binding: names and types                                                                 */

static const char *type_name(db_col_type t)
{
    static const char *const names[] = {"end", "text", "text",   "text", "int64",
                                        "int", "bool", "float8", "day",  "json"};
    return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

static bool type_fits(db_col_type t, Oid oid)
{
    switch (t) {
    case DB_COL_TEXT:
    case DB_COL_TEXT_REF:
    case DB_COL_TEXT_DUP:
        return oid == OID_TEXT || oid == OID_VARCHAR || oid == OID_BPCHAR || oid == OID_NAME;
    case DB_COL_INT64:
    case DB_COL_INT:
        return oid == OID_INT2 || oid == OID_INT4 || oid == OID_INT8;
    case DB_COL_BOOL:
        return oid == OID_BOOL;
    case DB_COL_FLOAT8:
        return oid == OID_FLOAT4 || oid == OID_FLOAT8 || oid == OID_NUMERIC;
    case DB_COL_DAY:
        return oid == OID_DATE || oid == OID_INT4 || oid == OID_INT8;
    case DB_COL_JSON:
        return oid == OID_JSON || oid == OID_JSONB;
    case DB_COL_END:
    default:
        return false;
    }
}

/* Finds the column of a name as written, without PQfnumber's case folding and quoting
 * rules: our SQL gives every column a plain lower-case alias. */
static int column_of(const PGresult *res, const char *name)
{
    for (int c = 0; c < PQnfields(res); c++)
        if (strcmp(PQfname(res, c), name) == 0)
            return c;
    return -1;
}

static db_status bind(db_rows *rows, db_result_spec *spec)
{
    for (db_result_spec *e = spec; e->type != DB_COL_END; e++) {
        if (e->bound_to == rows->id)
            continue;
        int c = column_of(rows->res, e->name);
        if (c < 0)
            return db_fail_local(rows->conn, rows->statement,
                                 "the result has no column \"%s\" (a renamed or missing column)",
                                 e->name);
        Oid oid = PQftype(rows->res, c);
        if (!type_fits(e->type, oid))
            return db_fail_local(rows->conn, rows->statement,
                                 "column \"%s\" has type oid %u, not one that decodes as %s",
                                 e->name, (unsigned)oid, type_name(e->type));
        e->column = c;
        e->bound_to = rows->id;
    }
    return DB_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Decoding                                                                                 */

static bool parse_int64(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0')
        return false;
    *out = v;
    return true;
}

/* The value of NULL in each destination. */
static void set_null(const db_result_spec *e)
{
    switch (e->type) {
    case DB_COL_TEXT:
        ((char *)e->dst)[0] = '\0';
        break;
    case DB_COL_TEXT_REF:
        *(const char **)e->dst = NULL;
        break;
    case DB_COL_TEXT_DUP:
        *(char **)e->dst = NULL;
        break;
    case DB_COL_INT64:
        *(int64_t *)e->dst = 0;
        break;
    case DB_COL_INT:
        *(int *)e->dst = 0;
        break;
    case DB_COL_BOOL:
        *(bool *)e->dst = false;
        break;
    case DB_COL_FLOAT8:
        *(double *)e->dst = 0.0;
        break;
    case DB_COL_DAY:
        *(lv_date *)e->dst = LV_DATE_NONE;
        break;
    case DB_COL_JSON:
        *(json_t **)e->dst = NULL;
        break;
    case DB_COL_END:
        break;
    }
}

/* Decodes one value. @return NULL, or what is wrong with it. */
static const char *decode_value(const db_result_spec *e, const PGresult *res, int row)
{
    const char *v = PQgetvalue(res, row, e->column);
    size_t len = (size_t)PQgetlength(res, row, e->column);
    int64_t n;
    switch (e->type) {
    case DB_COL_TEXT:
        if (len >= e->dst_size)
            return "is longer than its destination";
        memcpy(e->dst, v, len + 1);
        return NULL;
    case DB_COL_TEXT_REF:
        *(const char **)e->dst = v;
        return NULL;
    case DB_COL_TEXT_DUP: {
        char *copy = malloc(len + 1);
        if (copy == NULL)
            return "cannot be copied: out of memory";
        memcpy(copy, v, len + 1);
        *(char **)e->dst = copy;
        return NULL;
    }
    case DB_COL_INT64:
        if (!parse_int64(v, &n))
            return "is not an integer";
        *(int64_t *)e->dst = n;
        return NULL;
    case DB_COL_INT:
        if (!parse_int64(v, &n) || n < INT_MIN || n > INT_MAX)
            return "is not an integer in int's range";
        *(int *)e->dst = (int)n;
        return NULL;
    case DB_COL_BOOL:
        if (strcmp(v, "t") != 0 && strcmp(v, "f") != 0)
            return "is not a boolean";
        *(bool *)e->dst = v[0] == 't';
        return NULL;
    case DB_COL_FLOAT8: {
        char *end;
        double d = strtod(v, &end);
        if (end == v || *end != '\0')
            return "is not a number";
        *(double *)e->dst = d;
        return NULL;
    }
    case DB_COL_DAY: {
        lv_date d;
        if (PQftype(res, e->column) == OID_DATE) {
            if (!lv_date_parse_iso(v, &d))
                return "is not a date YYYY-MM-DD";
        } else {
            if (!parse_int64(v, &n) || n < INT32_MIN || n > INT32_MAX)
                return "is not a day number";
            d = (lv_date)n;
        }
        *(lv_date *)e->dst = d;
        return NULL;
    }
    case DB_COL_JSON: {
        json_t *j = json_loadb(v, len, 0, NULL);
        if (j == NULL)
            return "is not JSON jansson can read";
        *(json_t **)e->dst = j;
        return NULL;
    }
    case DB_COL_END:
        break;
    }
    return "has an unknown destination type";
}

db_status db_rows_decode(db_rows *rows, size_t row, db_result_spec *spec)
{
    db_status st = bind(rows, spec);
    if (st != DB_OK)
        return st;
    if (row >= (size_t)PQntuples(rows->res))
        return db_fail_local(rows->conn, rows->statement, "no row %zu", row);
    for (db_result_spec *e = spec; e->type != DB_COL_END; e++) {
        const char *why = NULL;
        bool is_null = PQgetisnull(rows->res, (int)row, e->column);
        if (is_null && !e->nullable)
            why = "is NULL";
        else if (is_null)
            set_null(e);
        else
            why = decode_value(e, rows->res, (int)row);
        if (why != NULL) {
            /* Release what the entries before this one allocated for this row. */
            db_result_spec done = *e;
            e->type = DB_COL_END;
            db_result_spec_release(spec);
            *e = done;
            return db_fail_local(rows->conn, rows->statement, "row %zu: column \"%s\" %s", row,
                                 e->name, why);
        }
        if (e->is_null != NULL)
            *e->is_null = is_null;
    }
    return DB_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Running                                                                                  */

static atomic_ulong next_rows_id = 1;

db_rows *db_rows_wrap(db_conn *c, const char *name, PGresult *res)
{
    db_rows *rows = calloc(1, sizeof *rows);
    if (rows == NULL) {
        PQclear(res);
        return NULL;
    }
    rows->conn = c;
    rows->statement = name;
    rows->res = res;
    rows->id = atomic_fetch_add(&next_rows_id, 1);
    return rows;
}

db_status db_query(db_conn *c, const char *name, const char *const *params, db_rows **out)
{
    db_status st;
    *out = NULL;
    PGresult *res = db_exec(c, name, params, &st);
    if (st != DB_OK)
        return st;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        PQclear(res);
        return db_fail_local(c, name, "the statement returns no rows");
    }
    *out = db_rows_wrap(c, name, res);
    return *out != NULL ? DB_OK : db_fail_local(c, name, "out of memory");
}

size_t db_rows_count(const db_rows *rows)
{
    return (size_t)PQntuples(rows->res);
}

void db_rows_free(db_rows *rows)
{
    if (rows == NULL)
        return;
    PQclear(rows->res);
    free(rows);
}

db_status db_query_one(db_conn *c, const char *name, const char *const *params,
                       db_result_spec *spec)
{
    for (const db_result_spec *e = spec; e->type != DB_COL_END; e++)
        if (e->type == DB_COL_TEXT_REF)
            return db_fail_local(c, name, "column \"%s\": a text_ref cannot outlive the row",
                                 e->name);
    db_rows *rows;
    db_status st = db_query(c, name, params, &rows);
    if (st != DB_OK)
        return st;
    size_t n = db_rows_count(rows);
    if (n == 0)
        st = DB_NOT_FOUND;
    else if (n > 1)
        st = db_fail_local(c, name, "%zu rows where at most one was expected", n);
    else
        st = db_rows_decode(rows, 0, spec);
    db_rows_free(rows);
    return st;
}

db_status db_rows_each(db_rows *rows, db_result_spec *spec, db_status (*fn)(void *cls, size_t row),
                       void *cls)
{
    db_status st = DB_OK;
    for (size_t r = 0; st == DB_OK && r < db_rows_count(rows); r++) {
        st = db_rows_decode(rows, r, spec);
        if (st == DB_OK)
            st = fn(cls, r);
    }
    return st;
}

/* Frees the text_dup and json values of @a spec held by the first @a n copies in @a array
 * (an entry whose destination lies inside the struct at @a row has the same offset in
 * each copy). */
static void release_copies(const db_result_spec *spec, const void *row, size_t size, char *array,
                           size_t n)
{
    for (const db_result_spec *e = spec; e->type != DB_COL_END; e++) {
        size_t offset = (size_t)((const char *)e->dst - (const char *)row);
        if ((e->type != DB_COL_TEXT_DUP && e->type != DB_COL_JSON) ||
            (const char *)e->dst < (const char *)row || offset + sizeof(void *) > size)
            continue;
        for (size_t r = 0; r < n; r++) {
            void *value;
            memcpy(&value, array + r * size + offset, sizeof value);
            if (e->type == DB_COL_JSON)
                json_decref(value);
            else
                free(value);
        }
    }
}

db_status db_rows_collect(db_rows *rows, db_result_spec *spec, const void *row, size_t size,
                          void **out)
{
    size_t n = db_rows_count(rows);
    char *array = calloc(n ? n : 1, size);
    *out = NULL;
    if (array == NULL)
        return db_fail_local(rows->conn, rows->statement, "out of memory");
    for (size_t r = 0; r < n; r++) {
        db_status st = db_rows_decode(rows, r, spec);
        if (st != DB_OK) {
            release_copies(spec, row, size, array, r);
            free(array);
            return st;
        }
        memcpy(array + r * size, row, size);
    }
    *out = array;
    return DB_OK;
}

db_status db_query_each(db_conn *c, const char *name, const char *const *params,
                        db_result_spec *spec, db_status (*fn)(void *cls, size_t row), void *cls)
{
    db_rows *rows;
    db_status st = db_query(c, name, params, &rows);
    if (st == DB_OK)
        st = db_rows_each(rows, spec, fn, cls);
    db_rows_free(rows);
    return st;
}

db_status db_command(db_conn *c, const char *name, const char *const *params)
{
    db_status st;
    if (db_conn_defer(c, name, params, &st))
        return st; /* runs with the COMMIT (db_defer_until_commit()) */
    PQclear(db_exec(c, name, params, &st));
    return st;
}
