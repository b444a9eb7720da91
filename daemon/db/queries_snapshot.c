/*
 * queries_snapshot.c: the SQL a budget snapshot is built from (see queries_snapshot.h).
 *
 * The ledger is append-only and every amount is signed, so the status of a year is plain
 * sums over accepted lines: a credit line nets its debit out. Everything is read in one
 * REPEATABLE READ transaction so that a submission committing halfway through the reads
 * shows in all figures of the next snapshot or in none of this one.
 *
 * Values that lib/budget.c would refuse (a zorgkantoor that is not four digits, a line
 * without a target group) are mapped here to "unknown" forms rather than failing the whole
 * snapshot: one odd row must not take the dashboard down.
 */
#include "db/queries_snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_statement.h"

/* First day of the status year and of the next, from $1 (the year). */
#define YEAR_START "make_date($1::int, 1, 1)"
#define YEAR_END "make_date($1::int + 1, 1, 1)"

const db_statement db_queries_snapshot[] = {
    {"snapshot_read_only", "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", 0},
    /* The contract's groups: those that have C&A at all (LBS has none), in its order. */
    {"snapshot_groups",
     "SELECT code, name FROM target_group WHERE ca_from IS NOT NULL ORDER BY sort_order, code", 0},
    {"snapshot_providers", "SELECT agb, name, zorgkantoor FROM provider ORDER BY agb", 0},
    {"snapshot_caps",
     "SELECT scope, scope_key, cap_cents FROM budget WHERE year = $1::int"
     " ORDER BY scope, scope_key",
     1},
    /* December's deadline falls in January or February of the next year. */
    {"snapshot_holidays",
     "SELECT day - DATE '1970-01-01' FROM holiday"
     " WHERE day >= " YEAR_START " AND day < make_date($1::int + 2, 1, 1) ORDER BY day",
     1},
    /* The ledger of the year in one scan: sums per service month, group, provider,
     * zorgkantoor and accepted. Accepted rows are the spend; every row (accepted or not)
     * says its provider declared that month, because a provider that sends a wrong file
     * has not gone silent. No join: a line without a zorgkantoor of its own counts for its
     * provider's, filled in from the provider list (sq_year_load). */
    {"snapshot_ledger",
     "SELECT service_month - DATE '1970-01-01', coalesce(target_group, ''), provider_agb,"
     "       coalesce(zorgkantoor, ''), accepted, sum(amount_cents), sum(minutes),"
     "       sum(travel_cents), count(*) FILTER (WHERE late)"
     "  FROM declaration_line"
     " WHERE service_month >= " YEAR_START " AND service_month < " YEAR_END
     " GROUP BY 1, 2, 3, 4, 5",
     1},
    /* Designations of groups with C&A, with the group's C&A period: whether a provider is
     * expected in a month is decided in C, month by month (sq_year_load). */
    {"snapshot_designations",
     "SELECT d.agb, d.valid_from - DATE '1970-01-01', d.valid_to - DATE '1970-01-01',"
     "       g.ca_from - DATE '1970-01-01', g.ca_to - DATE '1970-01-01'"
     "  FROM designation d JOIN target_group g ON g.code = d.target_group"
     " WHERE g.ca_from IS NOT NULL AND d.valid_from < " YEAR_END
     "   AND (d.valid_to IS NULL OR d.valid_to >= " YEAR_START ")",
     1},
    /* The newest submissions: the newest one's time is what the data is as of, and their
     * ids are those a later notification must not add a second time. */
    {"snapshot_recent",
     "SELECT id, extract(epoch FROM received_at)::bigint FROM submission"
     " ORDER BY id DESC LIMIT 2000",
     0},
    {"snapshot_alerts_firing",
     "SELECT count(*) FROM alert WHERE state = 'firing'"
     "   AND (NOT labels ? 'year' OR labels->>'year' = $1::text)",
     1},
    /* The delta after notifications: the submissions named ($1, '{17,18}')... */
    {"snapshot_submissions_of",
     "SELECT id, extract(epoch FROM received_at)::bigint FROM submission"
     " WHERE id = ANY($1::bigint[])",
     1},
    /* ...and their lines in the year, summed as snapshot_ledger does. */
    {"snapshot_ledger_of",
     "SELECT service_month - DATE '1970-01-01', coalesce(target_group, ''), provider_agb,"
     "       coalesce(zorgkantoor, ''), accepted, sum(amount_cents), sum(minutes),"
     "       sum(travel_cents), count(*) FILTER (WHERE late)"
     "  FROM declaration_line"
     " WHERE submission_id = ANY($2::bigint[])"
     "   AND service_month >= " YEAR_START " AND service_month < " YEAR_END
     " GROUP BY 1, 2, 3, 4, 5",
     2},
    {"snapshot_listen_ledger", "LISTEN lvhcmon_ledger", 0},
    {"snapshot_listen_reference", "LISTEN lvhcmon_reference", 0},
    {"snapshot_listen_alerts", "LISTEN lvhcmon_alerts", 0},
    DB_STATEMENT_END,
};

/* ---------------------------------------------------------------------------------------- */
/* Keeping results and growing arrays                                                       */

/* Grows *arr (of elements of @a size) to hold @a need; @return false when out of memory. */
static bool grow(void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap && *arr != NULL)
        return true;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    void *p = realloc(*arr, n * size);
    if (p == NULL)
        return false;
    *arr = p;
    *cap = n;
    return true;
}

/* Runs @a name with @a params; keeps a row-returning result in @a d (the loaded strings
 * point into it). @return the result, or NULL after writing why into @a err. */
static PGresult *run(db_conn *conn, sq_year_data *d, const char *name, const char *const *params,
                     char *err, size_t errlen)
{
    PGresult *res = db_exec(conn, name, params);
    if (!db_result_ok(res) || PQresultStatus(res) != PGRES_TUPLES_OK ||
        !grow((void **)&d->results, &d->cap_results, d->n_results + 1, sizeof *d->results)) {
        snprintf(err, errlen, "%s", db_result_ok(res) ? "out of memory" : db_conn_error(conn));
        PQclear(res);
        return NULL;
    }
    d->results[d->n_results++] = res;
    return res;
}

static int64_t int_at(const PGresult *res, int r, int c)
{
    return PQgetisnull(res, r, c) ? 0 : strtoll(PQgetvalue(res, r, c), NULL, 10);
}

static lv_date date_at(const PGresult *res, int r, int c)
{
    return PQgetisnull(res, r, c) ? LV_DATE_NONE : (lv_date)int_at(res, r, c);
}

static bool digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* calloc that never returns NULL for a count of 0, so "no rows" is not "no memory". */
static void *alloc_rows(int n, size_t size)
{
    return calloc(n > 0 ? (size_t)n : 1, size);
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static bool seen(const sq_year_data *d, int64_t id)
{
    return bsearch(&id, d->seen, d->n_seen, sizeof id, cmp_id) != NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* Rows into inputs                                                                         */

static bool load_caps(sq_year_data *d, const PGresult *res)
{
    int n = PQntuples(res);
    d->extra_caps = alloc_rows(n, sizeof *d->extra_caps);
    if (d->extra_caps == NULL)
        return false;
    for (int r = 0; r < n; r++) {
        const char *scope = PQgetvalue(res, r, 0);
        money_cents cap = int_at(res, r, 2);
        if (strcmp(scope, "national") == 0) {
            d->cap_cents = cap;
            continue;
        }
        budget_extra_cap *c = &d->extra_caps[d->n_extra_caps++];
        c->scope =
            strcmp(scope, "provider") == 0 ? BUDGET_SCOPE_PROVIDER : BUDGET_SCOPE_TARGET_GROUP;
        c->key = PQgetvalue(res, r, 1);
        c->cap_cents = cap;
    }
    return true;
}

static int cmp_provider(const void *key, const void *elem)
{
    return strcmp(key, ((const sq_provider *)elem)->agb);
}

/* The month (1..12) of a day number within the year, or 0. */
static int month_of(lv_date day, int year)
{
    int y, m, dd;
    lv_date_to_ymd(day, &y, &m, &dd);
    return y == year ? m : 0;
}

/* Appends the rows of a ledger scan (snapshot_ledger or snapshot_ledger_of): facts from
 * the accepted rows, "declared" from every row. */
static bool add_ledger(sq_year_data *d, const PGresult *res)
{
    size_t n = (size_t)PQntuples(res);
    if (!grow((void **)&d->facts, &d->cap_facts, d->n_facts + n, sizeof *d->facts) ||
        !grow((void **)&d->declared, &d->cap_declared, d->n_declared + n, sizeof *d->declared))
        return false;
    size_t cap_late = d->cap_facts;
    int64_t *late = realloc(d->facts_late, cap_late * sizeof *late);
    if (late == NULL)
        return false;
    d->facts_late = late;
    for (int r = 0; r < (int)n; r++) {
        int month = month_of((lv_date)int_at(res, r, 0), d->year);
        const char *group = PQgetvalue(res, r, 1);
        const char *agb = PQgetvalue(res, r, 2);
        const char *zk = PQgetvalue(res, r, 3);
        if (month == 0 || !digits(agb, BUDGET_AGB_LEN))
            continue; /* cannot happen: the range is the year, provider_agb is checked */
        d->declared[d->n_declared++] = (budget_provider_month){agb, month};
        if (PQgetvalue(res, r, 4)[0] != 't')
            continue;
        if (zk[0] == '\0') {
            const sq_provider *p =
                bsearch(agb, d->providers, d->n_providers, sizeof *d->providers, cmp_provider);
            zk = p != NULL ? p->zorgkantoor : "";
        }
        d->facts_late[d->n_facts] = int_at(res, r, 8);
        budget_fact *f = &d->facts[d->n_facts++];
        f->month = month;
        f->target_group =
            group[0] != '\0' && strlen(group) <= BUDGET_GROUP_CODE_MAX ? group : "UNKNOWN";
        f->provider_agb = agb;
        f->zorgkantoor = digits(zk, BUDGET_ZK_LEN) ? zk : "";
        f->amount_cents = int_at(res, r, 5);
        f->minutes = int_at(res, r, 6);
        f->travel_cents = int_at(res, r, 7);
    }
    return true;
}

/* A provider is expected in a month when one of its designations, for a group with C&A,
 * overlaps the month while the group's C&A is open. */
static bool load_expected(sq_year_data *d, const PGresult *res)
{
    int n = PQntuples(res);
    d->expected = alloc_rows(n * BUDGET_MONTHS, sizeof *d->expected);
    if (d->expected == NULL)
        return false;
    for (int r = 0; r < n; r++) {
        const char *agb = PQgetvalue(res, r, 0);
        if (!digits(agb, BUDGET_AGB_LEN))
            continue;
        lv_date from = date_at(res, r, 1), to = date_at(res, r, 2);
        lv_date ca_from = date_at(res, r, 3), ca_to = date_at(res, r, 4);
        for (int m = 1; m <= BUDGET_MONTHS; m++) {
            lv_date first = lv_date_from_ymd(d->year, m, 1);
            lv_date last = lv_date_month_end(first);
            bool designated = from <= last && (to == LV_DATE_NONE || to >= first);
            bool open = ca_from <= last && (ca_to == LV_DATE_NONE || ca_to >= first);
            if (designated && open)
                d->expected[d->n_expected++] = (budget_provider_month){agb, m};
        }
    }
    return true;
}

/* Records the submissions of a snapshot_recent/_submissions_of result as counted, and the
 * newest time among them. */
static bool add_seen(sq_year_data *d, const PGresult *res)
{
    size_t n = (size_t)PQntuples(res);
    if (!grow((void **)&d->seen, &d->cap_seen, d->n_seen + n, sizeof *d->seen))
        return false;
    for (int r = 0; r < (int)n; r++) {
        d->seen[d->n_seen++] = int_at(res, r, 0);
        time_t at = (time_t)int_at(res, r, 1);
        if (at > d->data_as_of)
            d->data_as_of = at;
    }
    qsort(d->seen, d->n_seen, sizeof *d->seen, cmp_id);
    return true;
}

/* ---------------------------------------------------------------------------------------- */
/* Public                                                                                   */

bool sq_year_load(db_conn *conn, int year, sq_year_data *d, char *err, size_t errlen)
{
    memset(d, 0, sizeof *d);
    d->year = year;
    char y[16];
    snprintf(y, sizeof y, "%d", year);
    const char *const py[] = {y};
    if (!db_begin(conn)) {
        snprintf(err, errlen, "%s", db_conn_error(conn));
        return false;
    }
    PGresult *res = db_exec(conn, "snapshot_read_only", NULL);
    bool ok = db_result_ok(res);
    PQclear(res);
    if (!ok) {
        snprintf(err, errlen, "%s", db_conn_error(conn));
        goto out;
    }

    if ((res = run(conn, d, "snapshot_groups", NULL, err, errlen)) == NULL)
        goto out;
    d->groups = alloc_rows(PQntuples(res), sizeof *d->groups);
    if (d->groups == NULL)
        goto nomem;
    for (int r = 0; r < PQntuples(res); r++)
        if (strlen(PQgetvalue(res, r, 0)) <= BUDGET_GROUP_CODE_MAX)
            d->groups[d->n_groups++] =
                (budget_group_def){PQgetvalue(res, r, 0), PQgetvalue(res, r, 1)};

    if ((res = run(conn, d, "snapshot_providers", NULL, err, errlen)) == NULL)
        goto out;
    d->providers = alloc_rows(PQntuples(res), sizeof *d->providers);
    if (d->providers == NULL)
        goto nomem;
    for (int r = 0; r < PQntuples(res); r++)
        d->providers[d->n_providers++] =
            (sq_provider){PQgetvalue(res, r, 0), PQgetvalue(res, r, 1), PQgetvalue(res, r, 2)};

    if ((res = run(conn, d, "snapshot_caps", py, err, errlen)) == NULL)
        goto out;
    if (!load_caps(d, res))
        goto nomem;

    if ((res = run(conn, d, "snapshot_holidays", py, err, errlen)) == NULL)
        goto out;
    d->holidays = alloc_rows(PQntuples(res), sizeof *d->holidays);
    if (d->holidays == NULL)
        goto nomem;
    for (int r = 0; r < PQntuples(res); r++)
        d->holidays[d->n_holidays++] = (lv_date)int_at(res, r, 0);

    if ((res = run(conn, d, "snapshot_ledger", py, err, errlen)) == NULL)
        goto out;
    if (!add_ledger(d, res))
        goto nomem;
    if ((res = run(conn, d, "snapshot_designations", py, err, errlen)) == NULL)
        goto out;
    if (!load_expected(d, res))
        goto nomem;
    if ((res = run(conn, d, "snapshot_recent", NULL, err, errlen)) == NULL)
        goto out;
    if (!add_seen(d, res))
        goto nomem;
    if ((res = run(conn, d, "snapshot_alerts_firing", py, err, errlen)) == NULL)
        goto out;
    d->alerts_firing = PQntuples(res) == 1 ? (int)int_at(res, 0, 0) : 0;

    ok = db_commit(conn);
    if (!ok)
        snprintf(err, errlen, "%s", db_conn_error(conn));
    return ok;
nomem:
    snprintf(err, errlen, "out of memory");
out:
    db_rollback(conn);
    return false;
}

bool sq_year_add_submissions(db_conn *conn, sq_year_data *d, const int64_t *ids, size_t n_ids,
                             char *err, size_t errlen)
{
    /* The ids not counted yet, as an array literal: "{17,18}". */
    size_t size = 3 + n_ids * 21;
    char *list = malloc(size);
    if (list == NULL) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    size_t used = 0, n_new = 0;
    list[used++] = '{';
    for (size_t i = 0; i < n_ids; i++) {
        if (ids[i] <= 0 || seen(d, ids[i]))
            continue;
        used += (size_t)snprintf(list + used, size - used, "%s%lld", n_new ? "," : "",
                                 (long long)ids[i]);
        n_new++;
    }
    snprintf(list + used, size - used, "}");
    bool ok = true;
    if (n_new > 0) {
        char y[16];
        snprintf(y, sizeof y, "%d", d->year);
        /* Submissions first: a line is only counted with its submission marked as seen. */
        const char *const p1[] = {list};
        const char *const p2[] = {y, list};
        PGresult *subs = run(conn, d, "snapshot_submissions_of", p1, err, errlen);
        PGresult *lines = subs ? run(conn, d, "snapshot_ledger_of", p2, err, errlen) : NULL;
        ok = lines != NULL;
        if (ok && (!add_seen(d, subs) || !add_ledger(d, lines))) {
            snprintf(err, errlen, "out of memory");
            ok = false;
        }
    }
    free(list);
    return ok;
}

void sq_year_data_clear(sq_year_data *d)
{
    free(d->groups);
    free(d->extra_caps);
    free(d->facts);
    free(d->facts_late);
    free(d->expected);
    free(d->declared);
    free(d->holidays);
    free(d->providers);
    free(d->seen);
    for (size_t i = 0; i < d->n_results; i++)
        PQclear(d->results[i]);
    free(d->results);
    memset(d, 0, sizeof *d);
}

bool sq_listen(db_conn *conn, char *err, size_t errlen)
{
    static const char *const names[] = {"snapshot_listen_ledger", "snapshot_listen_reference",
                                        "snapshot_listen_alerts"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        PGresult *res = db_exec(conn, names[i], NULL);
        bool ok = db_result_ok(res);
        PQclear(res);
        if (!ok) {
            snprintf(err, errlen, "%s", db_conn_error(conn));
            return false;
        }
    }
    return true;
}
