/*
 * check_db_statements.c: Check suite for the database layer's two tables of truth:
 *  - the statement registry (daemon/db/db_statement.h): every statement of every area has a
 *    unique name, SQL, and a parameter count equal to the highest $n its SQL uses, with no
 *    $n skipped; a COPY takes none. A mistake here would otherwise surface only when the
 *    pool prepares the statements against a live database.
 *  - the result specs (daemon/db/db_result.h), on results built in memory with libpq's own
 *    PQmakeEmptyPGresult(): columns are found by name whatever their position, and a spec
 *    that names a column the result lacks (a renamed column), a type that does not match,
 *    a NULL where none is allowed, a text longer than its buffer or a number out of range
 *    fails the decoding (DB_FAILED) instead of filling in a wrong value.
 */
#include <ctype.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_internal.h"
#include "db/db_result.h"
#include "db/db_statement.h"
#include "unit_runner.h"

/* The highest $n in @sql, and whether each of $1..$highest occurs (bitmask, n <= 63). */
static int highest_param(const char *sql, unsigned long long *seen)
{
    int highest = 0;
    *seen = 0;
    for (const char *p = sql; *p != '\0'; p++) {
        if (*p != '$' || !isdigit((unsigned char)p[1]))
            continue;
        int n = atoi(p + 1);
        if (n > highest)
            highest = n;
        if (n > 0 && n < 64)
            *seen |= 1ull << n;
    }
    return highest;
}

START_TEST(test_registry)
{
    size_t count = 0;
    for (size_t t = 0; db_statement_tables[t] != NULL; t++) {
        for (const db_statement *s = db_statement_tables[t]; s->name != NULL; s++) {
            count++;
            ck_assert_msg(s->sql != NULL && s->sql[0] != '\0', "%s has no SQL", s->name);
            unsigned long long seen;
            int highest = highest_param(s->sql, &seen);
            ck_assert_msg(highest == s->n_params, "%s: n_params %d, SQL uses up to $%d", s->name,
                          s->n_params, highest);
            for (int n = 1; n <= highest; n++)
                ck_assert_msg(seen & (1ull << n), "%s: $%d is never used", s->name, n);
            ck_assert_msg(db_statement_find(s->name) == s, "%s: name not unique", s->name);
            if (db_statement_is_copy(s))
                ck_assert_msg(s->n_params == 0, "%s: a COPY takes no parameters", s->name);
        }
    }
    ck_assert_uint_gt(count, 0);
    ck_assert_ptr_null(db_statement_find("no_such_statement"));
    ck_assert(db_statement_is_copy(db_statement_find("ingest_copy_lines")));
    ck_assert(!db_statement_is_copy(db_statement_find("token_by_hash")));
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* Result specs on results built in memory                                                  */

/* Built-in type oids, as the server reports them. */
enum {
    T_BOOL = 16,
    T_INT8 = 20,
    T_INT4 = 23,
    T_TEXT = 25,
    T_JSONB = 3802,
    T_FLOAT8 = 701,
    T_DATE = 1082,
    T_NUMERIC = 1700
};

typedef struct {
    const char *name;
    Oid type;
} col;

/* A result with @a n_cols columns and one row of @a values (NULL: SQL NULL), wrapped as the
 * rows of statement "test_statement". */
static db_rows *rows_of(const col *cols, int n_cols, const char *const *values)
{
    PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
    ck_assert_ptr_nonnull(res);
    PGresAttDesc attrs[16];
    ck_assert_int_le(n_cols, 16);
    for (int c = 0; c < n_cols; c++)
        attrs[c] = (PGresAttDesc){
            .name = (char *)cols[c].name, .typid = cols[c].type, .typlen = -1, .atttypmod = -1};
    ck_assert(PQsetResultAttrs(res, n_cols, attrs));
    for (int c = 0; c < n_cols; c++)
        ck_assert(PQsetvalue(res, 0, c, (char *)values[c],
                             values[c] != NULL ? (int)strlen(values[c]) : -1));
    db_rows *rows = db_rows_wrap(NULL, "test_statement", res);
    ck_assert_ptr_nonnull(rows);
    return rows;
}

static const col TOKEN_COLS[] = {
    {"id", T_INT8},       {"role", T_TEXT},    {"provider_agb", T_TEXT}, {"label", T_TEXT},
    {"valid_to", T_INT4}, {"ca_from", T_DATE}, {"rate", T_FLOAT8},       {"active", T_BOOL},
    {"labels", T_JSONB},  {"total", T_NUMERIC}};
static const char *const TOKEN_ROW[] = {
    "17",         "provider", "41000001", "Dashboard Noord",      NULL,
    "2026-01-01", "0.955",    "t",        "{\"year\": \"2026\"}", "123.5"};

START_TEST(test_decode_by_name)
{
    db_rows *rows = rows_of(TOKEN_COLS, 10, TOKEN_ROW);
    int64_t id = 0;
    char role[16], agb[9];
    char *label = NULL;
    const char *label_ref = NULL;
    lv_date valid_to = 0, ca_from = 0;
    bool valid_to_null = false, active = false;
    double rate = 0, total = 0;
    json_t *labels = NULL;
    /* Deliberately not in the result's order: names, not positions, decide. */
    db_result_spec spec[] = {db_rs_json("labels", &labels),
                             db_rs_text("role", role, sizeof role),
                             db_rs_nullable(db_rs_day("valid_to", &valid_to), &valid_to_null),
                             db_rs_int64("id", &id),
                             db_rs_text_dup("label", &label),
                             db_rs_text_ref("label", &label_ref),
                             db_rs_day("ca_from", &ca_from),
                             db_rs_float8("rate", &rate),
                             db_rs_float8("total", &total),
                             db_rs_bool("active", &active),
                             db_rs_text("provider_agb", agb, sizeof agb),
                             db_rs_end()};
    ck_assert_uint_eq(db_rows_count(rows), 1);
    ck_assert_int_eq(db_rows_decode(rows, 0, spec), DB_OK);
    ck_assert_int_eq(id, 17);
    ck_assert_str_eq(role, "provider");
    ck_assert_str_eq(agb, "41000001");
    ck_assert_str_eq(label, "Dashboard Noord");
    ck_assert_str_eq(label_ref, "Dashboard Noord");
    ck_assert(valid_to_null);
    ck_assert_int_eq(valid_to, LV_DATE_NONE);
    ck_assert_int_eq(ca_from, lv_date_from_ymd(2026, 1, 1));
    ck_assert(rate > 0.9549 && rate < 0.9551);
    ck_assert(total > 123.4 && total < 123.6);
    ck_assert(active);
    ck_assert_str_eq(json_string_value(json_object_get(labels, "year")), "2026");
    /* A second decode with the same spec reuses what the first found. */
    free(label);
    json_decref(labels);
    label = NULL;
    labels = NULL;
    ck_assert_int_eq(db_rows_decode(rows, 0, spec), DB_OK);
    ck_assert_str_eq(label, "Dashboard Noord");
    db_result_spec_release(spec);
    ck_assert_ptr_null(label);
    ck_assert_ptr_null(labels);
    db_rows_free(rows);
}
END_TEST

/* One spec entry against the one-row result above, and what must become of it. */
typedef struct {
    const char *what;
    db_col_type type;
    const char *name;
    bool nullable;
    size_t text_size; /* text: buffer size */
} bad_case;

static const bad_case bad_cases[] = {
    {"a column the result does not have", DB_COL_INT64, "token_id", false, 0},
    {"a renamed column (case matters)", DB_COL_TEXT, "Role", false, 16},
    {"an integer column read as text", DB_COL_TEXT, "id", false, 16},
    {"a text column read as an integer", DB_COL_INT64, "role", false, 0},
    {"a text column read as a boolean", DB_COL_BOOL, "role", false, 0},
    {"a date column read as JSON", DB_COL_JSON, "ca_from", false, 0},
    {"a NULL where none is allowed", DB_COL_DAY, "valid_to", false, 0},
    {"a text longer than its buffer", DB_COL_TEXT, "label", false, 8},
    {"a numeric read as an integer", DB_COL_INT64, "total", false, 0},
};

START_TEST(test_decode_refused)
{
    const bad_case *c = &bad_cases[_i];
    db_rows *rows = rows_of(TOKEN_COLS, 10, TOKEN_ROW);
    union {
        int64_t i;
        bool b;
        lv_date d;
        json_t *j;
        char text[64];
    } dst;
    memset(&dst, 0, sizeof dst);
    char *dup = NULL;
    /* A text_dup entry first: its copy must be released when a later entry fails. */
    db_result_spec spec[] = {db_rs_text_dup("label", &dup),
                             {.name = c->name,
                              .type = c->type,
                              .dst = &dst,
                              .dst_size = c->text_size,
                              .nullable = c->nullable},
                             db_rs_end()};
    ck_assert_msg(db_rows_decode(rows, 0, spec) == DB_FAILED, "%s: decoded", c->what);
    ck_assert_msg(dup == NULL, "%s: the earlier copy was kept", c->what);
    db_rows_free(rows);
}
END_TEST

START_TEST(test_int_range)
{
    static const col cols[] = {{"n", T_INT8}};
    static const char *const big[] = {"2147483648"};
    db_rows *rows = rows_of(cols, 1, big);
    int n = 0;
    int64_t wide = 0;
    db_result_spec narrow_spec[] = {db_rs_int("n", &n), db_rs_end()};
    db_result_spec wide_spec[] = {db_rs_int64("n", &wide), db_rs_end()};
    ck_assert_int_eq(db_rows_decode(rows, 0, narrow_spec), DB_FAILED);
    ck_assert_int_eq(db_rows_decode(rows, 0, wide_spec), DB_OK);
    ck_assert_int_eq(wide, 2147483648LL);
    ck_assert_int_eq(db_rows_decode(rows, 1, wide_spec), DB_FAILED); /* no such row */
    db_rows_free(rows);
}
END_TEST

START_TEST(test_nullable_defaults)
{
    static const col cols[] = {
        {"t", T_TEXT}, {"r", T_TEXT}, {"i", T_INT8}, {"b", T_BOOL}, {"j", T_JSONB}};
    static const char *const nulls[] = {NULL, NULL, NULL, NULL, NULL};
    db_rows *rows = rows_of(cols, 5, nulls);
    char t[8] = "x";
    const char *r = "x";
    int64_t i = 5;
    bool b = true, t_null = false, j_null = false;
    json_t *j = NULL;
    db_result_spec spec[] = {db_rs_nullable(db_rs_text("t", t, sizeof t), &t_null),
                             db_rs_nullable(db_rs_text_ref("r", &r), NULL),
                             db_rs_nullable(db_rs_int64("i", &i), NULL),
                             db_rs_nullable(db_rs_bool("b", &b), NULL),
                             db_rs_nullable(db_rs_json("j", &j), &j_null),
                             db_rs_end()};
    ck_assert_int_eq(db_rows_decode(rows, 0, spec), DB_OK);
    ck_assert_str_eq(t, "");
    ck_assert_ptr_null(r);
    ck_assert_int_eq(i, 0);
    ck_assert(!b);
    ck_assert_ptr_null(j);
    ck_assert(t_null && j_null);
    db_rows_free(rows);
}
END_TEST

/* Collecting rows as structs: each copy owns its JSON; a row that fails part-way leaves
 * nothing behind (AddressSanitizer's leak check watches the copies made before it). */
typedef struct {
    int64_t id;
    json_t *labels;
    const char *name;
} collected;

static db_rows *two_rows(const char *second_labels)
{
    static const col cols[] = {{"id", T_INT8}, {"labels", T_JSONB}, {"name", T_TEXT}};
    PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
    PGresAttDesc attrs[3];
    for (int c = 0; c < 3; c++)
        attrs[c] = (PGresAttDesc){
            .name = (char *)cols[c].name, .typid = cols[c].type, .typlen = -1, .atttypmod = -1};
    ck_assert(PQsetResultAttrs(res, 3, attrs));
    const char *values[2][3] = {{"1", "{\"a\": 1}", "first"}, {"2", second_labels, "second"}};
    for (int r = 0; r < 2; r++)
        for (int c = 0; c < 3; c++)
            ck_assert(PQsetvalue(res, r, c, (char *)values[r][c],
                                 values[r][c] != NULL ? (int)strlen(values[r][c]) : -1));
    return db_rows_wrap(NULL, "test_statement", res);
}

START_TEST(test_collect)
{
    db_rows *rows = two_rows("{\"b\": 2}");
    collected row = {0};
    db_result_spec spec[] = {db_rs_int64("id", &row.id), db_rs_json("labels", &row.labels),
                             db_rs_text_ref("name", &row.name), db_rs_end()};
    void *items = NULL;
    ck_assert_int_eq(db_rows_collect(rows, spec, &row, sizeof row, &items), DB_OK);
    collected *c = items;
    ck_assert_int_eq(c[0].id, 1);
    ck_assert_int_eq(c[1].id, 2);
    ck_assert_str_eq(c[0].name, "first");
    ck_assert_str_eq(c[1].name, "second");
    ck_assert_int_eq(json_integer_value(json_object_get(c[0].labels, "a")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(c[1].labels, "b")), 2);
    json_decref(c[0].labels);
    json_decref(c[1].labels);
    free(items);
    db_rows_free(rows);

    /* The second row's labels are NULL where none is allowed: the first row's copy, and
     * its JSON, are released, and nothing is returned. */
    rows = two_rows(NULL);
    memset(&row, 0, sizeof row);
    items = NULL;
    ck_assert_int_eq(db_rows_collect(rows, spec, &row, sizeof row, &items), DB_FAILED);
    ck_assert_ptr_null(items);
    db_rows_free(rows);
}
END_TEST

static Suite *db_statements_suite(void)
{
    Suite *s = suite_create("db_statements");
    TCase *tc = tcase_create("registry");
    tcase_add_test(tc, test_registry);
    suite_add_tcase(s, tc);
    tc = tcase_create("result specs");
    tcase_add_test(tc, test_decode_by_name);
    tcase_add_loop_test(tc, test_decode_refused, 0, N_CASES(bad_cases));
    tcase_add_test(tc, test_int_range);
    tcase_add_test(tc, test_nullable_defaults);
    tcase_add_test(tc, test_collect);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(db_statements_suite)
