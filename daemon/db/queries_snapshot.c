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

#include "db/db_batch.h"
#include "db/db_internal.h"
#include "db/db_result.h"
#include "db/db_statement.h"
#include "text.h"

/* First day of the status year and of the next, from $1 (the year). */
#define YEAR_START "make_date($1::int, 1, 1)"
#define YEAR_END "make_date($1::int + 1, 1, 1)"

/* The ledger summed per service month, group, provider, zorgkantoor and acceptance: the
 * columns add_ledger() decodes, for the year's scan and for the delta after notifications
 * alike. */
#define LEDGER_SUMS                                                                                \
    "SELECT service_month - DATE '1970-01-01' AS month_day,"                                       \
    "       coalesce(target_group, '') AS target_group, provider_agb,"                             \
    "       coalesce(zorgkantoor, '') AS zorgkantoor, accepted,"                                   \
    "       sum(amount_cents)::bigint AS amount_cents, sum(minutes)::bigint AS minutes,"           \
    "       sum(travel_cents)::bigint AS travel_cents,"                                            \
    "       count(*) FILTER (WHERE late) AS late_lines"                                            \
    "  FROM declaration_line"
#define LEDGER_GROUPING " GROUP BY 1, 2, 3, 4, 5"

const db_statement db_queries_snapshot[] = {
    {"snapshot_read_only", "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", 0},
    /* The first statement of a round: it takes the transaction's snapshot and says what it
     * covers. */
    {"snapshot_watermark", "SELECT pg_current_snapshot()::text AS watermark", 0},
    /* The contract's groups: those that have C&A at all (LBS has none), in its order. */
    {"snapshot_groups",
     "SELECT code, name FROM target_group WHERE ca_from IS NOT NULL ORDER BY sort_order, code", 0},
    {"snapshot_caps",
     "SELECT scope, scope_key, cap_cents FROM budget WHERE year = $1::int"
     " ORDER BY scope, scope_key",
     1},
    /* December's deadline falls in January or February of the next year. */
    {"snapshot_holidays",
     "SELECT day - DATE '1970-01-01' AS day FROM holiday"
     " WHERE day >= " YEAR_START " AND day < make_date($1::int + 2, 1, 1) ORDER BY day",
     1},
    /* The ledger of the year in one scan: sums per service month, group, provider,
     * zorgkantoor and accepted. Accepted rows are the spend; every row (accepted or not)
     * says its provider declared that month, because a provider that sends a wrong file
     * has not gone silent. No join: a line without a zorgkantoor of its own counts for its
     * provider's, filled in from the provider list (sq_year_load). */
    {"snapshot_ledger",
     LEDGER_SUMS " WHERE service_month >= " YEAR_START
                 " AND service_month < " YEAR_END LEDGER_GROUPING,
     1},
    /* Designations of groups with C&A, with the group's C&A period: whether a provider is
     * expected in a month is decided in C, month by month (sq_year_load). */
    {"snapshot_designations",
     "SELECT d.agb, d.valid_from - DATE '1970-01-01' AS valid_from,"
     "       d.valid_to - DATE '1970-01-01' AS valid_to,"
     "       g.ca_from - DATE '1970-01-01' AS ca_from, g.ca_to - DATE '1970-01-01' AS ca_to"
     "  FROM designation d JOIN target_group g ON g.code = d.target_group"
     " WHERE g.ca_from IS NOT NULL AND d.valid_from < " YEAR_END
     "   AND (d.valid_to IS NULL OR d.valid_to >= " YEAR_START ")",
     1},
    /* What the data is as of: the newest submission's time (among the newest ids, which
     * the primary key reads backwards; ids are taken in the order transactions begin). */
    {"snapshot_data_as_of",
     "SELECT coalesce(extract(epoch FROM max(received_at)), 0)::bigint AS received_at"
     "  FROM (SELECT received_at FROM submission ORDER BY id DESC LIMIT 2000) newest",
     0},
    /* Per provider label ('' for the national alerts): a provider's status document counts
     * the national ones and its own only. */
    {"snapshot_alerts_firing",
     "SELECT coalesce(labels->>'provider', '') AS provider, count(*) AS firing FROM alert"
     " WHERE state = 'firing' AND (NOT labels ? 'year' OR labels->>'year' = $1::text)"
     " GROUP BY 1 ORDER BY 1",
     1},
    /* The planned monthly profile of the year, if it has one (twelve rows, checked at load). */
    {"snapshot_profile",
     "SELECT month, weight_bp FROM budget_profile WHERE year = $1::int ORDER BY month", 1},
    {"snapshot_zorgkantoren", "SELECT code, name FROM zorgkantoor ORDER BY code", 0},
    /* As of an instant ($2, seconds since the epoch): the lines received before it... */
    {"snapshot_ledger_until",
     LEDGER_SUMS " WHERE service_month >= " YEAR_START " AND service_month < " YEAR_END
                 "   AND received_at < to_timestamp($2::float8)" LEDGER_GROUPING,
     2},
    /* ...the newest submission received before it (what the data is as of; the index on
     * received_at reads it backwards)... */
    {"snapshot_data_as_of_until",
     "SELECT coalesce(extract(epoch FROM max(received_at)), 0)::bigint AS received_at"
     "  FROM submission WHERE received_at < to_timestamp($1::float8)",
     1},
    /* ...and what such a load sees: the submissions received before the instant only grow
     * in number (append-only), and reference data changes with each load. */
    {"snapshot_asof_version",
     "SELECT (SELECT count(*) FROM submission WHERE received_at < to_timestamp($1::float8))"
     "         AS submissions,"
     "       (SELECT coalesce(max(id), 0) FROM reference_load) AS reference_load",
     1},
    /* Catching up: the submissions whose transaction the watermark $2 (a pg_snapshot, of
     * xmin $1) does not cover, i.e. committed since a load read under it. The index on
     * xact_id keeps this to recent rows; rows without an xact_id were stored before any
     * watermark was taken... */
    {"snapshot_submissions_since",
     "SELECT id, extract(epoch FROM received_at)::bigint AS received_at FROM submission"
     " WHERE xact_id >= $1::xid8 AND NOT pg_visible_in_snapshot(xact_id, $2::pg_snapshot)",
     2},
    /* ...their lines in the year ($1; $2 and $3 as above), summed as snapshot_ledger does,
     * in the same round trip (sq_round_catch_up()). The ids are gathered first (an
     * InitPlan), so that the lines are found by the index on submission_id. The year is
     * tested on "service_month + 0", which no index serves: a prepared statement's generic
     * plan would otherwise AND in the index on service_month (sql/0012), reading every line
     * of the year at each round (7 ms for 50,000 lines, growing with the ledger)... */
    {"snapshot_ledger_since",
     LEDGER_SUMS " WHERE submission_id = ANY (ARRAY(SELECT id FROM submission"
                 "        WHERE xact_id >= $2::xid8"
                 "          AND NOT pg_visible_in_snapshot(xact_id, $3::pg_snapshot)))"
                 "   AND service_month + 0 >= " YEAR_START
                 " AND service_month + 0 < " YEAR_END LEDGER_GROUPING,
     3},
    /* ...or by their ids, once known ($2, '{17,18}'; the year tested as above). */
    {"snapshot_ledger_of",
     LEDGER_SUMS " WHERE submission_id = ANY($2::bigint[])"
                 "   AND service_month + 0 >= " YEAR_START
                 " AND service_month + 0 < " YEAR_END LEDGER_GROUPING,
     2},
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

/* Runs @a name with @a params and keeps its rows in @a d (the loaded strings point into
 * them). */
static db_status run(db_conn *conn, sq_year_data *d, const char *name, const char *const *params,
                     db_rows **out)
{
    *out = NULL;
    if (!grow((void **)&d->results, &d->cap_results, d->n_results + 1, sizeof *d->results))
        return db_fail_local(conn, name, "out of memory");
    db_status st = db_query(conn, name, params, out);
    if (st == DB_OK)
        d->results[d->n_results++] = *out;
    return st;
}

/* calloc that never returns NULL for a count of 0, so "no rows" is not "no memory". */
static void *alloc_rows(size_t n, size_t size)
{
    return calloc(n > 0 ? n : 1, size);
}

/* ---------------------------------------------------------------------------------------- */
/* Rows into inputs                                                                         */

/* The groups, providers and holidays are the rows as they come (db_rows_collect()); the
 * other loaders decode each row into a small struct whose row function (db_rows_each())
 * moves it into the year's inputs. */

static db_status load_groups(sq_year_data *d, db_rows *rows)
{
    budget_group_def g;
    db_result_spec spec[] = {db_rs_text_ref("code", &g.code), db_rs_text_ref("name", &g.name),
                             db_rs_end()};
    void *groups;
    db_status st = db_rows_collect(rows, spec, &g, sizeof g, &groups);
    if (st != DB_OK)
        return st;
    d->groups = groups;
    for (size_t i = 0; i < db_rows_count(rows); i++) /* a code budget.c would refuse: left out */
        if (strlen(d->groups[i].code) <= BUDGET_GROUP_CODE_MAX)
            d->groups[d->n_groups++] = d->groups[i];
    return DB_OK;
}

static db_status load_providers(sq_year_data *d, db_rows *rows)
{
    sq_provider p;
    db_result_spec spec[] = {db_rs_text_ref("agb", &p.agb), db_rs_text_ref("name", &p.name),
                             db_rs_text_ref("zorgkantoor", &p.zorgkantoor), db_rs_end()};
    void *providers;
    db_status st = db_rows_collect(rows, spec, &p, sizeof p, &providers);
    d->providers = providers;
    d->n_providers = st == DB_OK ? db_rows_count(rows) : 0;
    return st;
}

static db_status load_holidays(sq_year_data *d, db_rows *rows)
{
    lv_date day;
    db_result_spec spec[] = {db_rs_day("day", &day), db_rs_end()};
    void *holidays;
    db_status st = db_rows_collect(rows, spec, &day, sizeof day, &holidays);
    d->holidays = holidays;
    d->n_holidays = st == DB_OK ? db_rows_count(rows) : 0;
    return st;
}

typedef struct {
    sq_year_data *d;
    const char *scope, *key;
    int64_t cap;
} cap_row;

static db_status add_cap(void *cls, size_t row)
{
    cap_row *x = cls;
    (void)row;
    if (strcmp(x->scope, "national") == 0) {
        x->d->cap_cents = x->cap;
        return DB_OK;
    }
    budget_extra_cap *c = &x->d->extra_caps[x->d->n_extra_caps++];
    c->scope =
        strcmp(x->scope, "provider") == 0 ? BUDGET_SCOPE_PROVIDER : BUDGET_SCOPE_TARGET_GROUP;
    c->key = x->key;
    c->cap_cents = x->cap;
    return DB_OK;
}

static db_status load_caps(db_conn *conn, sq_year_data *d, db_rows *rows)
{
    d->extra_caps = alloc_rows(db_rows_count(rows), sizeof *d->extra_caps);
    if (d->extra_caps == NULL)
        return db_fail_local(conn, "snapshot_caps", "out of memory");
    cap_row x = {.d = d};
    db_result_spec spec[] = {db_rs_text_ref("scope", &x.scope), db_rs_text_ref("scope_key", &x.key),
                             db_rs_int64("cap_cents", &x.cap), db_rs_end()};
    return db_rows_each(rows, spec, add_cap, &x);
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

typedef struct {
    sq_year_data *d;
    lv_date month_day;
    const char *group, *agb, *zk;
    bool accepted;
    int64_t amount, minutes, travel, late_lines;
} ledger_row;

/* One row of a ledger scan: a fact from an accepted row, "declared" from every row. */
static db_status add_ledger_row(void *cls, size_t row)
{
    ledger_row *x = cls;
    sq_year_data *d = x->d;
    (void)row;
    int month = month_of(x->month_day, d->year);
    if (month == 0 || !text_is_digits(x->agb, BUDGET_AGB_LEN))
        return DB_OK; /* cannot happen: the range is the year, provider_agb is checked */
    d->declared[d->n_declared++] = (budget_provider_month){x->agb, month};
    if (!x->accepted)
        return DB_OK;
    const char *zk = x->zk;
    if (zk[0] == '\0') {
        const sq_provider *p =
            bsearch(x->agb, d->providers, d->n_providers, sizeof *d->providers, cmp_provider);
        zk = p != NULL ? p->zorgkantoor : "";
    }
    d->facts_late[d->n_facts] = x->late_lines;
    budget_fact *f = &d->facts[d->n_facts++];
    f->month = month;
    f->target_group =
        x->group[0] != '\0' && strlen(x->group) <= BUDGET_GROUP_CODE_MAX ? x->group : "UNKNOWN";
    f->provider_agb = x->agb;
    f->zorgkantoor = text_is_digits(zk, BUDGET_ZK_LEN) ? zk : "";
    f->amount_cents = x->amount;
    f->minutes = x->minutes;
    f->travel_cents = x->travel;
    return DB_OK;
}

/* Appends the rows of a ledger scan (snapshot_ledger or snapshot_ledger_of). */
static db_status add_ledger(db_conn *conn, sq_year_data *d, db_rows *rows)
{
    size_t n = db_rows_count(rows);
    if (!grow((void **)&d->facts, &d->cap_facts, d->n_facts + n, sizeof *d->facts) ||
        !grow((void **)&d->declared, &d->cap_declared, d->n_declared + n, sizeof *d->declared))
        return db_fail_local(conn, "snapshot_ledger", "out of memory");
    int64_t *late = realloc(d->facts_late, d->cap_facts * sizeof *late);
    if (late == NULL)
        return db_fail_local(conn, "snapshot_ledger", "out of memory");
    d->facts_late = late;
    ledger_row x = {.d = d};
    db_result_spec spec[] = {
        db_rs_day("month_day", &x.month_day),     db_rs_text_ref("target_group", &x.group),
        db_rs_text_ref("provider_agb", &x.agb),   db_rs_text_ref("zorgkantoor", &x.zk),
        db_rs_bool("accepted", &x.accepted),      db_rs_int64("amount_cents", &x.amount),
        db_rs_int64("minutes", &x.minutes),       db_rs_int64("travel_cents", &x.travel),
        db_rs_int64("late_lines", &x.late_lines), db_rs_end()};
    return db_rows_each(rows, spec, add_ledger_row, &x);
}

typedef struct {
    sq_year_data *d;
    const char *agb;
    lv_date from, to, ca_from, ca_to;
} designation_row;

/* A provider is expected in a month when one of its designations, for a group with C&A,
 * overlaps the month while the group's C&A is open. */
static db_status add_expected(void *cls, size_t row)
{
    designation_row *x = cls;
    sq_year_data *d = x->d;
    (void)row;
    if (!text_is_digits(x->agb, BUDGET_AGB_LEN))
        return DB_OK;
    for (int m = 1; m <= BUDGET_MONTHS; m++) {
        lv_date first = lv_date_from_ymd(d->year, m, 1);
        lv_date last = lv_date_month_end(first);
        bool designated = x->from <= last && (x->to == LV_DATE_NONE || x->to >= first);
        bool open = x->ca_from <= last && (x->ca_to == LV_DATE_NONE || x->ca_to >= first);
        if (designated && open)
            d->expected[d->n_expected++] = (budget_provider_month){x->agb, m};
    }
    return DB_OK;
}

static db_status load_expected(db_conn *conn, sq_year_data *d, db_rows *rows)
{
    d->expected = alloc_rows(db_rows_count(rows) * BUDGET_MONTHS, sizeof *d->expected);
    if (d->expected == NULL)
        return db_fail_local(conn, "snapshot_designations", "out of memory");
    designation_row x = {.d = d};
    db_result_spec spec[] = {db_rs_text_ref("agb", &x.agb),
                             db_rs_day("valid_from", &x.from),
                             db_rs_nullable(db_rs_day("valid_to", &x.to), NULL),
                             db_rs_day("ca_from", &x.ca_from),
                             db_rs_nullable(db_rs_day("ca_to", &x.ca_to), NULL),
                             db_rs_end()};
    return db_rows_each(rows, spec, add_expected, &x);
}

/* The newest submission time among the rows of @a rows (snapshot_data_as_of or
 * snapshot_submissions_since) into d->data_as_of, when newer. */
static db_status add_times(sq_year_data *d, db_rows *rows)
{
    int64_t at = 0;
    db_result_spec spec[] = {db_rs_int64("received_at", &at), db_rs_end()};
    for (size_t r = 0; r < db_rows_count(rows); r++) {
        db_status st = db_rows_decode(rows, r, spec);
        if (st != DB_OK)
            return st;
        if ((time_t)at > d->data_as_of)
            d->data_as_of = (time_t)at;
    }
    return DB_OK;
}

static db_status load_zorgkantoren(sq_year_data *d, db_rows *rows)
{
    sq_zorgkantoor z;
    db_result_spec spec[] = {db_rs_text_ref("code", &z.code), db_rs_text_ref("name", &z.name),
                             db_rs_end()};
    void *list;
    db_status st = db_rows_collect(rows, spec, &z, sizeof z, &list);
    d->zorgkantoren = list;
    d->n_zorgkantoren = st == DB_OK ? db_rows_count(rows) : 0;
    return st;
}

/* The weights of a planned profile; a year is planned only with all twelve months (the
 * loader refuses anything else, this guards against a table filled by other means). */
static db_status load_profile(sq_year_data *d, db_rows *rows)
{
    int month = 0, weight = 0;
    db_result_spec spec[] = {db_rs_int("month", &month), db_rs_int("weight_bp", &weight),
                             db_rs_end()};
    int64_t sum = 0;
    size_t n = db_rows_count(rows);
    for (size_t r = 0; r < n; r++) {
        db_status st = db_rows_decode(rows, r, spec);
        if (st != DB_OK)
            return st;
        if (month >= 1 && month <= 12)
            d->profile_bp[month - 1] = weight;
        sum += weight;
    }
    d->has_profile = n == 12 && sum == 10000;
    return DB_OK;
}

static db_status load_version(sq_year_data *d, db_rows *rows)
{
    db_result_spec spec[] = {db_rs_int64("submissions", &d->version.submissions),
                             db_rs_int64("reference_load", &d->version.reference_load),
                             db_rs_end()};
    return db_rows_decode(rows, 0, spec);
}

/* The firing alerts counted per provider label, replacing what @a d held. */
static db_status load_alerts_firing(sq_year_data *d, db_rows *rows)
{
    size_t n = db_rows_count(rows);
    sq_provider_alerts *per = calloc(n ? n : 1, sizeof *per);
    if (per == NULL)
        return DB_FAILED;
    int total = 0, national = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char agb[sizeof per->agb];
        int64_t firing = 0;
        db_result_spec spec[] = {db_rs_text("provider", agb, sizeof agb),
                                 db_rs_int64("firing", &firing), db_rs_end()};
        db_status st = db_rows_decode(rows, i, spec);
        if (st != DB_OK) {
            free(per);
            return st;
        }
        total += (int)firing;
        if (agb[0] == '\0') {
            national += (int)firing;
            continue;
        }
        memcpy(per[k].agb, agb, sizeof agb);
        per[k++].firing = (int)firing;
    }
    free(d->provider_alerts);
    d->provider_alerts = per;
    d->n_provider_alerts = k;
    d->alerts_firing = total;
    d->alerts_national = national;
    return DB_OK;
}

/* Whether two per-provider counts differ (both sorted by AGB, as the query orders them). */
static bool provider_alerts_differ(const sq_provider_alerts *a, size_t na,
                                   const sq_provider_alerts *b, size_t nb)
{
    if (na != nb)
        return true;
    for (size_t i = 0; i < na; i++)
        if (a[i].firing != b[i].firing || strcmp(a[i].agb, b[i].agb) != 0)
            return true;
    return false;
}

/* ---------------------------------------------------------------------------------------- */
/* Public                                                                                   */

/* Runs statement @a name and hands its rows to @a load; stops at the first failure. */
#define STEP(name, params, load_call)                                                              \
    do {                                                                                           \
        if (st == DB_OK)                                                                           \
            st = run(conn, d, name, params, &rows);                                                \
        if (st == DB_OK)                                                                           \
            st = load_call;                                                                        \
    } while (0)

db_status sq_round_begin(db_conn *conn, db_watermark *now)
{
    memset(now, 0, sizeof *now);
    db_status st = db_begin(conn);
    if (st != DB_OK)
        return st;
    char text[DB_WATERMARK_TEXT_MAX];
    db_result_spec spec[] = {db_rs_text("watermark", text, sizeof text), db_rs_end()};
    st = db_command(conn, "snapshot_read_only", NULL);
    if (st == DB_OK)
        st = db_query_one(conn, "snapshot_watermark", NULL, spec);
    if (st == DB_OK && !db_watermark_parse(text, now))
        st = db_fail_local(conn, "snapshot_watermark", "not a pg_snapshot");
    if (st != DB_OK)
        db_rollback(conn);
    return st;
}

db_status sq_round_end(db_conn *conn)
{
    return db_commit(conn);
}

/* Loads @a year inside an open round: all of it (@a until NULL), or as it stood at the
 * instant @a until (the epoch seconds as text). */
static db_status load_in_round(db_conn *conn, int year, const db_watermark *now, const char *until,
                               sq_year_data *d)
{
    memset(d, 0, sizeof *d);
    d->year = year;
    d->watermark = *now;
    char y[16];
    snprintf(y, sizeof y, "%d", year);
    const char *const py[] = {y};
    const char *const pyu[] = {y, until};
    const char *const pu[] = {until};
    db_status st = DB_OK;
    db_rows *rows = NULL;
    STEP("snapshot_groups", NULL, load_groups(d, rows));
    /* the reference provider list, the one statement validation's reference data uses */
    STEP("refdata_providers", NULL, load_providers(d, rows));
    STEP("snapshot_caps", py, load_caps(conn, d, rows));
    STEP("snapshot_holidays", py, load_holidays(d, rows));
    STEP("snapshot_profile", py, load_profile(d, rows));
    STEP("snapshot_zorgkantoren", NULL, load_zorgkantoren(d, rows));
    STEP("snapshot_designations", py, load_expected(conn, d, rows));
    if (until == NULL) {
        STEP("snapshot_ledger", py, add_ledger(conn, d, rows));
        STEP("snapshot_data_as_of", NULL, add_times(d, rows));
        STEP("snapshot_alerts_firing", py, load_alerts_firing(d, rows));
    } else {
        STEP("snapshot_ledger_until", pyu, add_ledger(conn, d, rows));
        STEP("snapshot_data_as_of_until", pu, add_times(d, rows));
        STEP("snapshot_asof_version", pu, load_version(d, rows));
    }
    return st;
}

db_status sq_year_load_in_round(db_conn *conn, int year, const db_watermark *now, sq_year_data *d)
{
    return load_in_round(conn, year, now, NULL, d);
}

/* load_in_round() in a round of its own. */
static db_status load_alone(db_conn *conn, int year, const char *until, sq_year_data *d)
{
    db_watermark now;
    db_status st = sq_round_begin(conn, &now);
    if (st != DB_OK) {
        memset(d, 0, sizeof *d);
        return st;
    }
    st = load_in_round(conn, year, &now, until, d);
    if (st == DB_OK)
        st = sq_round_end(conn);
    else
        db_rollback(conn);
    return st;
}

db_status sq_year_load(db_conn *conn, int year, sq_year_data *d)
{
    return load_alone(conn, year, NULL, d);
}

db_status sq_year_load_until(db_conn *conn, int year, int64_t until, sq_year_data *d)
{
    char u[24];
    snprintf(u, sizeof u, "%lld", (long long)until);
    return load_alone(conn, year, u, d);
}

db_status sq_asof_version(db_conn *conn, int64_t until, sq_asof_version_t *out)
{
    char u[24];
    snprintf(u, sizeof u, "%lld", (long long)until);
    const char *const pu[] = {u};
    db_result_spec spec[] = {db_rs_int64("submissions", &out->submissions),
                             db_rs_int64("reference_load", &out->reference_load), db_rs_end()};
    return db_query_one(conn, "snapshot_asof_version", pu, spec);
}

/* The submissions' ids of @a rows into found->ids, and as an array literal ("{17,18}")
 * into *list (malloc'ed). @return false when out of memory */
static bool id_list(db_rows *rows, sq_catch_up *found, char **list)
{
    size_t n = db_rows_count(rows), size = 3 + n * 21, used = 0;
    char *text = malloc(size);
    found->ids = malloc(n * sizeof *found->ids);
    if (text == NULL || found->ids == NULL) {
        free(text);
        return false;
    }
    int64_t id = 0;
    db_result_spec spec[] = {db_rs_int64("id", &id), db_rs_end()};
    text[used++] = '{';
    for (size_t r = 0; r < n; r++) {
        if (db_rows_decode(rows, r, spec) != DB_OK) {
            free(text);
            return false;
        }
        found->ids[r] = id;
        used += (size_t)snprintf(text + used, size - used, "%s%lld", r ? "," : "", (long long)id);
    }
    snprintf(text + used, size - used, "}");
    *list = text;
    return true;
}

db_status sq_year_catch_up(db_conn *conn, sq_year_data *d, const db_watermark *now,
                           sq_catch_up *found)
{
    memset(found, 0, sizeof *found);
    char y[16], xmin[24], mark[DB_WATERMARK_TEXT_MAX];
    snprintf(y, sizeof y, "%d", d->year);
    snprintf(xmin, sizeof xmin, "%llu", (unsigned long long)d->watermark.xmin);
    db_watermark_format(&d->watermark, mark, sizeof mark);
    const char *const since[] = {xmin, mark};
    const char *const py[] = {y};
    /* Only the ledger rows are kept (the facts point into them); the rest is freed here,
     * so a long run of small rounds does not pile up results. */
    db_rows *subs = NULL, *rows = NULL;
    db_status st = db_query(conn, "snapshot_submissions_since", since, &subs);
    if (st == DB_OK && (found->submissions = db_rows_count(subs)) > 0) {
        char *list = NULL;
        if (!id_list(subs, found, &list)) {
            db_rows_free(subs);
            return db_fail_local(conn, "snapshot_submissions_since", "out of memory");
        }
        const char *const p2[] = {y, list};
        size_t facts = d->n_facts, declared = d->n_declared;
        st = run(conn, d, "snapshot_ledger_of", p2, &rows);
        free(list);
        if (st == DB_OK)
            st = add_ledger(conn, d, rows);
        if (st == DB_OK)
            st = add_times(d, subs);
        found->figures = d->n_facts != facts || d->n_declared != declared;
    }
    db_rows_free(subs);
    int firing = d->alerts_firing, national = d->alerts_national;
    sq_provider_alerts *per = d->provider_alerts; /* ours until compared */
    size_t n_per = d->n_provider_alerts;
    d->provider_alerts = NULL;
    if (st == DB_OK && (st = db_query(conn, "snapshot_alerts_firing", py, &rows)) == DB_OK) {
        st = load_alerts_firing(d, rows);
        db_rows_free(rows);
    }
    if (d->provider_alerts == NULL) { /* not read again: keep what it was */
        d->provider_alerts = per;
        d->n_provider_alerts = n_per;
        per = NULL;
    }
    found->alerts_firing = d->alerts_firing != firing || d->alerts_national != national ||
                           (per != NULL && provider_alerts_differ(per, n_per, d->provider_alerts,
                                                                  d->n_provider_alerts));
    free(per);
    if (st == DB_OK)
        d->watermark = *now;
    return st;
}

/* Keeps @a rows in @a d (loaded strings point into them); frees them when it cannot. */
static db_status keep(db_conn *conn, sq_year_data *d, db_rows *rows)
{
    if (!grow((void **)&d->results, &d->cap_results, d->n_results + 1, sizeof *d->results)) {
        db_rows_free(rows);
        return db_fail_local(conn, "snapshot_ledger_since", "out of memory");
    }
    d->results[d->n_results++] = rows;
    return DB_OK;
}

/* The ids of @a rows (snapshot_submissions_since) into found->ids. */
static db_status found_ids(db_conn *conn, db_rows *rows, sq_catch_up *found)
{
    size_t n = db_rows_count(rows);
    found->submissions = n;
    if (n == 0)
        return DB_OK;
    if ((found->ids = malloc(n * sizeof *found->ids)) == NULL)
        return db_fail_local(conn, "snapshot_submissions_since", "out of memory");
    int64_t id = 0;
    db_result_spec spec[] = {db_rs_int64("id", &id), db_rs_end()};
    for (size_t r = 0; r < n; r++) {
        db_status st = db_rows_decode(rows, r, spec);
        if (st != DB_OK)
            return st;
        found->ids[r] = id;
    }
    return DB_OK;
}

db_status sq_round_catch_up(db_conn *conn, sq_year_data *const *years, size_t n, db_watermark *now,
                            sq_catch_up *found)
{
    enum { BEGIN, MARK, FIRST_YEAR, PER_YEAR = 3 };
    memset(now, 0, sizeof *now);
    memset(found, 0, n * sizeof *found);
    if (n == 0 || n > SQ_ROUND_YEARS_MAX)
        return db_fail_local(conn, "snapshot_ledger_since", "a round of %zu years", n);
    char y[SQ_ROUND_YEARS_MAX][16], xmin[SQ_ROUND_YEARS_MAX][24];
    char(*mark)[DB_WATERMARK_TEXT_MAX] = malloc(n * sizeof *mark);
    const char *since[SQ_ROUND_YEARS_MAX][2], *ledger[SQ_ROUND_YEARS_MAX][3],
        *firing[SQ_ROUND_YEARS_MAX][1];
    if (mark == NULL)
        return db_fail_local(conn, "snapshot_ledger_since", "out of memory");
    db_batch_item items[DB_BATCH_MAX];
    db_rows *rows[DB_BATCH_MAX] = {NULL};
    size_t k = 0;
    items[k++] = (db_batch_item){NULL, NULL, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"};
    items[k++] = (db_batch_item){"snapshot_watermark", NULL, NULL};
    for (size_t i = 0; i < n; i++) {
        snprintf(y[i], sizeof y[i], "%d", years[i]->year);
        snprintf(xmin[i], sizeof xmin[i], "%llu", (unsigned long long)years[i]->watermark.xmin);
        db_watermark_format(&years[i]->watermark, mark[i], sizeof mark[i]);
        since[i][0] = ledger[i][1] = xmin[i];
        since[i][1] = ledger[i][2] = mark[i];
        ledger[i][0] = firing[i][0] = y[i];
        items[k++] = (db_batch_item){"snapshot_submissions_since", since[i], NULL};
        items[k++] = (db_batch_item){"snapshot_ledger_since", ledger[i], NULL};
        items[k++] = (db_batch_item){"snapshot_alerts_firing", firing[i], NULL};
    }
    items[k++] = (db_batch_item){NULL, NULL, "COMMIT"};
    db_status st = db_batch_run(conn, items, k, rows);
    free(mark);
    if (st != DB_OK) {
        db_rollback(conn); /* the server skipped the rest, COMMIT too */
        return st;
    }
    char text[DB_WATERMARK_TEXT_MAX];
    db_result_spec spec[] = {db_rs_text("watermark", text, sizeof text), db_rs_end()};
    st = db_rows_count(rows[MARK]) == 1 ? db_rows_decode(rows[MARK], 0, spec)
                                        : db_fail_local(conn, "snapshot_watermark", "no row");
    if (st == DB_OK && !db_watermark_parse(text, now))
        st = db_fail_local(conn, "snapshot_watermark", "not a pg_snapshot");
    for (size_t i = 0; i < n && st == DB_OK; i++) {
        sq_year_data *d = years[i];
        db_rows *subs = rows[FIRST_YEAR + PER_YEAR * i];
        db_rows *sums = rows[FIRST_YEAR + PER_YEAR * i + 1];
        db_rows *alerts = rows[FIRST_YEAR + PER_YEAR * i + 2];
        size_t facts = d->n_facts, declared = d->n_declared;
        int was_firing = d->alerts_firing, national = d->alerts_national;
        sq_provider_alerts *per = d->provider_alerts; /* ours until compared */
        size_t n_per = d->n_provider_alerts;
        d->provider_alerts = NULL;
        st = found_ids(conn, subs, &found[i]);
        if (st == DB_OK && found[i].submissions > 0) {
            rows[FIRST_YEAR + PER_YEAR * i + 1] = NULL; /* kept by d from here on */
            if ((st = keep(conn, d, sums)) == DB_OK)
                st = add_ledger(conn, d, sums);
            if (st == DB_OK)
                st = add_times(d, subs);
        }
        if (st == DB_OK)
            st = load_alerts_firing(d, alerts);
        if (d->provider_alerts == NULL) { /* not read again: keep what it was */
            d->provider_alerts = per;
            d->n_provider_alerts = n_per;
            per = NULL;
        }
        found[i].figures = d->n_facts != facts || d->n_declared != declared;
        found[i].alerts_firing =
            d->alerts_firing != was_firing || d->alerts_national != national ||
            (per != NULL &&
             provider_alerts_differ(per, n_per, d->provider_alerts, d->n_provider_alerts));
        free(per);
        if (st == DB_OK)
            d->watermark = *now;
    }
    for (size_t i = 0; i < k; i++)
        db_rows_free(rows[i]);
    return st;
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
    free(d->zorgkantoren);
    free(d->provider_alerts);
    for (size_t i = 0; i < d->n_results; i++)
        db_rows_free(d->results[i]);
    free(d->results);
    memset(d, 0, sizeof *d);
}
