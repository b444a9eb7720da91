/*
 * queries_refdata.c: SELECTs of the reference tables, turned into refdata entries. Dates
 * come back as day numbers (date - 1970-01-01) so no text date parsing is needed here.
 */
#include "db/queries_refdata.h"

#include "db/db_statement.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const db_statement db_queries_refdata[] = {
    {"refdata_groups",
     "SELECT code, name, ca_from - DATE '1970-01-01', ca_to - DATE '1970-01-01', sort_order"
     "  FROM target_group ORDER BY sort_order, code",
     0},
    {"refdata_prestaties",
     "SELECT year, code, target_group, kind, unit, tariff_cents, rate_applies FROM prestatie", 0},
    {"refdata_providers", "SELECT agb, name, zorgkantoor FROM provider ORDER BY agb", 0},
    {"refdata_designations",
     "SELECT agb, target_group, centre_kind, valid_from - DATE '1970-01-01',"
     "       valid_to - DATE '1970-01-01' FROM designation",
     0},
    {"refdata_rates", "SELECT agb, year, rate_bp FROM provider_rate", 0},
    {"refdata_time_units", "SELECT code, minutes FROM time_unit", 0},
    {"refdata_holidays", "SELECT day - DATE '1970-01-01' FROM holiday ORDER BY day", 0},
    DB_STATEMENT_END,
};

typedef bool (*row_loader)(refdata *rd, const PGresult *res, int row);

static lv_date date_or_none(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? LV_DATE_NONE
                                      : (lv_date)strtol(PQgetvalue(res, row, col), NULL, 10);
}

static void copy_text(char *dst, size_t size, const PGresult *res, int row, int col)
{
    snprintf(dst, size, "%s", PQgetvalue(res, row, col));
}

static bool load_group(refdata *rd, const PGresult *res, int r)
{
    ref_target_group g = {0};
    copy_text(g.code, sizeof g.code, res, r, 0);
    copy_text(g.name, sizeof g.name, res, r, 1);
    g.ca_from = date_or_none(res, r, 2);
    g.ca_to = date_or_none(res, r, 3);
    g.order = atoi(PQgetvalue(res, r, 4));
    return refdata_add_target_group(rd, &g);
}

static bool load_prestatie(refdata *rd, const PGresult *res, int r)
{
    ref_prestatie p = {0};
    p.year = atoi(PQgetvalue(res, r, 0));
    copy_text(p.code, sizeof p.code, res, r, 1);
    copy_text(p.target_group, sizeof p.target_group, res, r, 2);
    p.kind = strcmp(PQgetvalue(res, r, 3), "travel") == 0 ? PRESTATIE_TRAVEL : PRESTATIE_TIME;
    const char *unit = PQgetvalue(res, r, 4);
    p.unit = strcmp(unit, "trip") == 0 ? PRESTATIE_UNIT_TRIP
             : strcmp(unit, "km") == 0 ? PRESTATIE_UNIT_KM
                                       : PRESTATIE_UNIT_HOUR;
    p.tariff_cents = strtoll(PQgetvalue(res, r, 5), NULL, 10);
    p.rate_applies = PQgetvalue(res, r, 6)[0] == 't';
    return refdata_add_prestatie(rd, &p);
}

static bool load_provider(refdata *rd, const PGresult *res, int r)
{
    ref_provider p = {0};
    copy_text(p.agb, sizeof p.agb, res, r, 0);
    copy_text(p.name, sizeof p.name, res, r, 1);
    copy_text(p.zorgkantoor, sizeof p.zorgkantoor, res, r, 2);
    return refdata_add_provider(rd, &p);
}

static bool load_designation(refdata *rd, const PGresult *res, int r)
{
    ref_designation d = {0};
    copy_text(d.agb, sizeof d.agb, res, r, 0);
    copy_text(d.target_group, sizeof d.target_group, res, r, 1);
    d.kind = strcmp(PQgetvalue(res, r, 2), "DEC") == 0 ? CENTRE_DEC : CENTRE_REC;
    d.valid_from = date_or_none(res, r, 3);
    d.valid_to = date_or_none(res, r, 4);
    return refdata_add_designation(rd, &d);
}

static bool load_rate(refdata *rd, const PGresult *res, int r)
{
    ref_rate rate = {0};
    copy_text(rate.agb, sizeof rate.agb, res, r, 0);
    rate.year = atoi(PQgetvalue(res, r, 1));
    rate.rate_bp = atoi(PQgetvalue(res, r, 2));
    return refdata_add_rate(rd, &rate);
}

static bool load_time_unit(refdata *rd, const PGresult *res, int r)
{
    ref_time_unit u = {0};
    copy_text(u.code, sizeof u.code, res, r, 0);
    u.minutes = atoi(PQgetvalue(res, r, 1));
    return refdata_add_time_unit(rd, &u);
}

static bool load_holiday(refdata *rd, const PGresult *res, int r)
{
    return refdata_add_holiday(rd, date_or_none(res, r, 0));
}

static const struct {
    const char *what;
    const char *statement;
    row_loader load;
} TABLES[] = {
    {"target_group", "refdata_groups", load_group},
    {"prestatie", "refdata_prestaties", load_prestatie},
    {"provider", "refdata_providers", load_provider},
    {"designation", "refdata_designations", load_designation},
    {"provider_rate", "refdata_rates", load_rate},
    {"time_unit", "refdata_time_units", load_time_unit},
    {"holiday", "refdata_holidays", load_holiday},
};

refdata *refdata_load_db(db_conn *conn, char *err, size_t err_size)
{
    refdata *rd = refdata_new();
    if (!rd) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    for (size_t t = 0; t < sizeof TABLES / sizeof TABLES[0]; t++) {
        PGresult *res = db_exec(conn, TABLES[t].statement, NULL);
        if (!db_result_ok(res)) {
            snprintf(err, err_size, "loading %s: %s", TABLES[t].what, db_conn_error(conn));
            PQclear(res);
            refdata_free(rd);
            return NULL;
        }
        for (int r = 0; r < PQntuples(res); r++) {
            if (!TABLES[t].load(rd, res, r)) {
                snprintf(err, err_size, "loading %s: out of memory", TABLES[t].what);
                PQclear(res);
                refdata_free(rd);
                return NULL;
            }
        }
        PQclear(res);
    }
    refdata_seal(rd);
    return rd;
}
