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
/* First and last day of month m.m of the year. */
#define MONTH_START "make_date($1::int, m.m, 1)"
#define MONTH_LAST "(make_date($1::int, m.m, 1) + interval '1 month' - interval '1 day')::date"

const db_statement db_queries_snapshot[] = {
    {"snapshot_read_only", "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", 0},
    /* The contract's groups: those that have C&A at all (LBS has none), in its order. */
    {"snapshot_groups",
     "SELECT code, name FROM target_group WHERE ca_from IS NOT NULL ORDER BY sort_order, code",
     0},
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
    /* The ledger's sums per service month, group, provider and zorgkantoor. A line without
     * a zorgkantoor of its own counts for its provider's. */
    {"snapshot_facts",
     "SELECT extract(month FROM l.service_month)::int, coalesce(l.target_group, ''),"
     "       l.provider_agb, coalesce(l.zorgkantoor, p.zorgkantoor, ''),"
     "       sum(l.amount_cents), sum(l.minutes), sum(l.travel_cents),"
     "       count(*) FILTER (WHERE l.late)"
     "  FROM declaration_line l LEFT JOIN provider p ON p.agb = l.provider_agb"
     " WHERE l.accepted AND l.service_month >= " YEAR_START " AND l.service_month < " YEAR_END
     " GROUP BY 1, 2, 3, 4",
     1},
    /* A provider is expected in a month when it holds a designation for a group with C&A
     * that overlaps the month while the group's C&A is open. */
    {"snapshot_expected",
     "SELECT DISTINCT d.agb, m.m"
     "  FROM designation d JOIN target_group g ON g.code = d.target_group"
     " CROSS JOIN generate_series(1, 12) AS m(m)"
     " WHERE g.ca_from IS NOT NULL"
     "   AND d.valid_from <= " MONTH_LAST
     "   AND (d.valid_to IS NULL OR d.valid_to >= " MONTH_START ")"
     "   AND g.ca_from <= " MONTH_LAST
     "   AND (g.ca_to IS NULL OR g.ca_to >= " MONTH_START ")"
     " ORDER BY 1, 2",
     1},
    /* Declared: anything came in for the month, accepted or not (a provider that sends a
     * wrong file has not gone silent). */
    {"snapshot_declared",
     "SELECT DISTINCT provider_agb, extract(month FROM service_month)::int"
     "  FROM declaration_line"
     " WHERE service_month >= " YEAR_START " AND service_month < " YEAR_END,
     1},
    {"snapshot_meta",
     "SELECT coalesce(extract(epoch FROM (SELECT max(received_at) FROM submission))::bigint, 0),"
     "       (SELECT count(*) FROM alert WHERE state = 'firing'"
     "           AND (NOT labels ? 'year' OR labels->>'year' = $1::text))",
     1},
    {"snapshot_listen_ledger", "LISTEN lvhcmon_ledger", 0},
    {"snapshot_listen_reference", "LISTEN lvhcmon_reference", 0},
    {"snapshot_listen_alerts", "LISTEN lvhcmon_alerts", 0},
    DB_STATEMENT_END,
};

/* Runs @a name with the year as its parameter (or none), keeps the result in @a d. */
static PGresult *run(db_conn *conn, sq_year_data *d, const char *name, const char *year,
                     char *err, size_t errlen)
{
    const char *params[1] = {year};
    PGresult *res = db_exec(conn, name, year ? params : NULL);
    if (!db_result_ok(res)) {
        snprintf(err, errlen, "%s", db_conn_error(conn));
        PQclear(res);
        return NULL;
    }
    if (PQresultStatus(res) == PGRES_TUPLES_OK &&
        d->n_results < sizeof d->results / sizeof d->results[0]) {
        d->results[d->n_results++] = res;
        return res;
    }
    PQclear(res); /* a command, or no room (cannot happen: one slot per SELECT) */
    return NULL;
}

static int64_t int_at(const PGresult *res, int r, int c)
{
    return PQgetisnull(res, r, c) ? 0 : strtoll(PQgetvalue(res, r, c), NULL, 10);
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
        c->scope = strcmp(scope, "provider") == 0 ? BUDGET_SCOPE_PROVIDER
                                                  : BUDGET_SCOPE_TARGET_GROUP;
        c->key = PQgetvalue(res, r, 1);
        c->cap_cents = cap;
    }
    return true;
}

static bool load_facts(sq_year_data *d, const PGresult *res)
{
    int n = PQntuples(res);
    d->facts = alloc_rows(n, sizeof *d->facts);
    d->facts_late = alloc_rows(n, sizeof *d->facts_late);
    if (d->facts == NULL || d->facts_late == NULL)
        return false;
    for (int r = 0; r < n; r++) {
        const char *group = PQgetvalue(res, r, 1);
        const char *agb = PQgetvalue(res, r, 2);
        const char *zk = PQgetvalue(res, r, 3);
        if (!digits(agb, BUDGET_AGB_LEN))
            continue; /* cannot happen: submission.provider_agb is checked */
        d->facts_late[d->n_facts] = int_at(res, r, 7);
        budget_fact *f = &d->facts[d->n_facts++];
        f->month = (int)int_at(res, r, 0);
        f->target_group = group[0] != '\0' && strlen(group) <= BUDGET_GROUP_CODE_MAX ? group
                                                                                    : "UNKNOWN";
        f->provider_agb = agb;
        f->zorgkantoor = digits(zk, BUDGET_ZK_LEN) ? zk : "";
        f->amount_cents = int_at(res, r, 4);
        f->minutes = int_at(res, r, 5);
        f->travel_cents = int_at(res, r, 6);
    }
    return true;
}

static bool load_months(budget_provider_month **out, size_t *n_out, const PGresult *res)
{
    int n = PQntuples(res);
    *out = alloc_rows(n, sizeof **out);
    if (*out == NULL)
        return false;
    for (int r = 0; r < n; r++) {
        const char *agb = PQgetvalue(res, r, 0);
        int month = (int)int_at(res, r, 1);
        if (!digits(agb, BUDGET_AGB_LEN) || month < 1 || month > BUDGET_MONTHS)
            continue;
        (*out)[*n_out] = (budget_provider_month){agb, month};
        (*n_out)++;
    }
    return true;
}

bool sq_year_load(db_conn *conn, int year, sq_year_data *d, char *err, size_t errlen)
{
    memset(d, 0, sizeof *d);
    d->year = year;
    char y[16];
    snprintf(y, sizeof y, "%d", year);
    if (!db_begin(conn)) {
        snprintf(err, errlen, "%s", db_conn_error(conn));
        return false;
    }
    PGresult *res;
    bool ok = false;
    /* A SET returns no rows: run() gives NULL for it, so check the connection instead. */
    run(conn, d, "snapshot_read_only", NULL, err, errlen);
    if (db_conn_is_bad(conn))
        goto out;

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
        d->providers[d->n_providers++] = (sq_provider){
            PQgetvalue(res, r, 0), PQgetvalue(res, r, 1), PQgetvalue(res, r, 2)};

    if ((res = run(conn, d, "snapshot_caps", y, err, errlen)) == NULL)
        goto out;
    if (!load_caps(d, res))
        goto nomem;

    if ((res = run(conn, d, "snapshot_holidays", y, err, errlen)) == NULL)
        goto out;
    d->holidays = alloc_rows(PQntuples(res), sizeof *d->holidays);
    if (d->holidays == NULL)
        goto nomem;
    for (int r = 0; r < PQntuples(res); r++)
        d->holidays[d->n_holidays++] = (lv_date)int_at(res, r, 0);

    if ((res = run(conn, d, "snapshot_facts", y, err, errlen)) == NULL)
        goto out;
    if (!load_facts(d, res))
        goto nomem;
    if ((res = run(conn, d, "snapshot_expected", y, err, errlen)) == NULL)
        goto out;
    if (!load_months(&d->expected, &d->n_expected, res))
        goto nomem;
    if ((res = run(conn, d, "snapshot_declared", y, err, errlen)) == NULL)
        goto out;
    if (!load_months(&d->declared, &d->n_declared, res))
        goto nomem;

    if ((res = run(conn, d, "snapshot_meta", y, err, errlen)) == NULL)
        goto out;
    if (PQntuples(res) == 1) {
        d->data_as_of = (time_t)int_at(res, 0, 0);
        d->alerts_firing = (int)int_at(res, 0, 1);
    }
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
    for (size_t i = 0; i < d->n_results; i++)
        PQclear(d->results[i]);
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
