/*
 * check_db_statements.c: Check suite for the statement registry (daemon/db/db_statement.h):
 * every statement of every area has a unique name, SQL, and a parameter count equal to the
 * highest $n its SQL uses, with no $n skipped; a mistake here would otherwise surface only
 * when the pool prepares the statements against a live database.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

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
        }
    }
    ck_assert_uint_gt(count, 0);
    ck_assert_ptr_null(db_statement_find("no_such_statement"));
}
END_TEST

static Suite *db_statements_suite(void)
{
    Suite *s = suite_create("db_statements");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_registry);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(db_statements_suite)
