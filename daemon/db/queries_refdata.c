/*
 * queries_refdata.c: SELECTs of the reference tables, decoded into refdata entries (see
 * queries_refdata.h). Dates come back as day numbers (date - 1970-01-01) so no text date
 * parsing is needed. Names longer than refdata keeps are cut, as refdata documents; codes
 * the schema bounds (CHECK constraints) must fit their fields or the load fails.
 */
#include "db/queries_refdata.h"

#include <stdio.h>
#include <string.h>

#include "db/db_batch.h"
#include "db/db_internal.h"
#include "db/db_result.h"
#include "db/db_statement.h"

const db_statement db_queries_refdata[] = {
    {"refdata_groups",
     "SELECT code, name, ca_from - DATE '1970-01-01' AS ca_from,"
     "       ca_to - DATE '1970-01-01' AS ca_to, sort_order"
     "  FROM target_group ORDER BY sort_order, code",
     0},
    {"refdata_prestaties",
     "SELECT year, code, target_group, kind, unit, tariff_cents, rate_applies FROM prestatie", 0},
    /* Also the provider list of every budget snapshot (queries_snapshot.c). */
    {"refdata_providers", "SELECT agb, name, zorgkantoor FROM provider ORDER BY agb", 0},
    {"refdata_designations",
     "SELECT agb, target_group, centre_kind, valid_from - DATE '1970-01-01' AS valid_from,"
     "       valid_to - DATE '1970-01-01' AS valid_to FROM designation",
     0},
    {"refdata_rates", "SELECT agb, year, rate_bp FROM provider_rate", 0},
    {"refdata_time_units", "SELECT code, minutes FROM time_unit", 0},
    {"refdata_holidays", "SELECT day - DATE '1970-01-01' AS day FROM holiday ORDER BY day", 0},
    DB_STATEMENT_END,
};

/* The state of loading one table: the set, the connection (for the failure), and the row
 * the spec decodes into. */
typedef struct {
    db_conn *conn;
    refdata *rd;
    const char *statement;
    union {
        ref_target_group g;
        ref_prestatie p;
        ref_provider pr;
        ref_designation d;
        ref_rate r;
        ref_time_unit u;
        lv_date day;
    } row;
    const char *name;        /* a name column, cut into the record */
    char kind[16], unit[16]; /* text columns mapped to enums */
    int number;              /* an int32 field (rate_bp, minutes), decoded as int */
} loader;

/* @return DB_OK when the record joined the set, else the failure (logged). */
static db_status added(loader *l, bool ok)
{
    return ok ? DB_OK : db_fail_local(l->conn, l->statement, "a row is unusable or out of memory");
}

static db_status group_row(void *cls, size_t row)
{
    (void)row;
    loader *l = cls;
    snprintf(l->row.g.name, sizeof l->row.g.name, "%s", l->name);
    return added(l, refdata_add_target_group(l->rd, &l->row.g));
}

static db_status prestatie_row(void *cls, size_t row)
{
    (void)row;
    loader *l = cls;
    l->row.p.kind = strcmp(l->kind, "travel") == 0 ? PRESTATIE_TRAVEL : PRESTATIE_TIME;
    l->row.p.unit = strcmp(l->unit, "trip") == 0 ? PRESTATIE_UNIT_TRIP
                    : strcmp(l->unit, "km") == 0 ? PRESTATIE_UNIT_KM
                                                 : PRESTATIE_UNIT_HOUR;
    return added(l, refdata_add_prestatie(l->rd, &l->row.p));
}

static db_status provider_row(void *cls, size_t row)
{
    (void)row;
    loader *l = cls;
    snprintf(l->row.pr.name, sizeof l->row.pr.name, "%s", l->name);
    return added(l, refdata_add_provider(l->rd, &l->row.pr));
}

static db_status designation_row(void *cls, size_t row)
{
    (void)row;
    loader *l = cls;
    l->row.d.kind = strcmp(l->kind, "DEC") == 0 ? CENTRE_DEC : CENTRE_REC;
    return added(l, refdata_add_designation(l->rd, &l->row.d));
}

static db_status rate_row(void *cls, size_t row)
{
    (void)row;
    loader *l = cls;
    l->row.r.rate_bp = l->number;
    return added(l, refdata_add_rate(l->rd, &l->row.r));
}

static db_status time_unit_row(void *cls, size_t row)
{
    (void)row;
    loader *l = cls;
    l->row.u.minutes = l->number;
    return added(l, refdata_add_time_unit(l->rd, &l->row.u));
}

static db_status holiday_row(void *cls, size_t row)
{
    (void)row;
    loader *l = cls;
    return added(l, refdata_add_holiday(l->rd, l->row.day));
}

/* Adds each row of one table's result, decoded with @a spec, with @a row_fn. */
static db_status load(loader *l, db_rows *rows, const char *statement, db_result_spec *spec,
                      db_status (*row_fn)(void *cls, size_t row))
{
    memset(&l->row, 0, sizeof l->row);
    l->statement = statement;
    return db_rows_each(rows, spec, row_fn, l);
}

db_status refdata_load_db(db_conn *conn, refdata **out)
{
    *out = NULL;
    loader l = {.conn = conn, .rd = refdata_new()};
    if (l.rd == NULL)
        return db_fail_local(conn, "refdata", "out of memory");
    ref_target_group *g = &l.row.g;
    ref_prestatie *p = &l.row.p;
    ref_provider *pr = &l.row.pr;
    ref_designation *d = &l.row.d;
    ref_rate *r = &l.row.r;
    ref_time_unit *u = &l.row.u;
    db_result_spec groups[] = {db_rs_text("code", g->code, sizeof g->code),
                               db_rs_text_ref("name", &l.name),
                               db_rs_nullable(db_rs_day("ca_from", &g->ca_from), NULL),
                               db_rs_nullable(db_rs_day("ca_to", &g->ca_to), NULL),
                               db_rs_int("sort_order", &g->order),
                               db_rs_end()};
    db_result_spec prestaties[] = {
        db_rs_int("year", &p->year),
        db_rs_text("code", p->code, sizeof p->code),
        db_rs_text("target_group", p->target_group, sizeof p->target_group),
        db_rs_text("kind", l.kind, sizeof l.kind),
        db_rs_text("unit", l.unit, sizeof l.unit),
        db_rs_int64("tariff_cents", &p->tariff_cents),
        db_rs_bool("rate_applies", &p->rate_applies),
        db_rs_end()};
    db_result_spec providers[] = {
        db_rs_text("agb", pr->agb, sizeof pr->agb), db_rs_text_ref("name", &l.name),
        db_rs_text("zorgkantoor", pr->zorgkantoor, sizeof pr->zorgkantoor), db_rs_end()};
    db_result_spec designations[] = {
        db_rs_text("agb", d->agb, sizeof d->agb),
        db_rs_text("target_group", d->target_group, sizeof d->target_group),
        db_rs_text("centre_kind", l.kind, sizeof l.kind),
        db_rs_day("valid_from", &d->valid_from),
        db_rs_nullable(db_rs_day("valid_to", &d->valid_to), NULL),
        db_rs_end()};
    db_result_spec rates[] = {db_rs_text("agb", r->agb, sizeof r->agb), db_rs_int("year", &r->year),
                              db_rs_int("rate_bp", &l.number), db_rs_end()};
    db_result_spec time_units[] = {db_rs_text("code", u->code, sizeof u->code),
                                   db_rs_int("minutes", &l.number), db_rs_end()};
    db_result_spec holidays[] = {db_rs_day("day", &l.row.day), db_rs_end()};

    /* The seven tables in one round trip (db_batch.h): this runs for every submission. */
    static const char *const names[] = {
        "refdata_groups", "refdata_prestaties", "refdata_providers", "refdata_designations",
        "refdata_rates",  "refdata_time_units", "refdata_holidays"};
    enum { N_TABLES = sizeof names / sizeof names[0] };
    db_result_spec *specs[N_TABLES] = {groups, prestaties, providers, designations,
                                       rates,  time_units, holidays};
    db_status (*row_fns[N_TABLES])(void *, size_t) = {group_row,       prestatie_row, provider_row,
                                                      designation_row, rate_row,      time_unit_row,
                                                      holiday_row};
    db_batch_item items[N_TABLES];
    db_rows *rows[N_TABLES];
    for (size_t t = 0; t < N_TABLES; t++)
        items[t] = (db_batch_item){names[t], NULL, NULL};
    db_status st = db_batch_run(conn, items, N_TABLES, rows);
    for (size_t t = 0; t < N_TABLES; t++) {
        if (st == DB_OK)
            st = load(&l, rows[t], names[t], specs[t], row_fns[t]);
        db_rows_free(rows[t]);
    }
    if (st != DB_OK) {
        refdata_free(l.rd);
        return st;
    }
    refdata_seal(l.rd);
    *out = l.rd;
    return DB_OK;
}
