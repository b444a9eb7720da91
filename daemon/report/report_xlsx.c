/*
 * report_xlsx.c: the month-end workbook (see report_xlsx.h).
 *
 * Every sheet but the summary is a table described by its columns (title, width, kind); a
 * kind says how a value is written and with which format, so that a money column can only
 * hold money cells in the euro format and a date column only dates. The first
 * libxlsxwriter error is kept and reported once the workbook is closed.
 */
#include "report/report_xlsx.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "alerts/alert_engine.h"
#include "nl_format.h"
#include "nl_time.h"
#include "util/file_read.h"

/* How a column's values are written. */
typedef enum {
    K_TEXT,     /* a string */
    K_INT,      /* a whole number */
    K_MONEY,    /* cents, written as euros in the euro format */
    K_RATIO,    /* 0..1, in a percent format */
    K_DATE,     /* a day, dd-mm-yyyy */
    K_MONTH,    /* a month, as its first day, mmmm yyyy */
    K_DATETIME, /* an instant, as Amsterdam's local time */
    K_NUMBER    /* a measure with decimals */
} kind;

typedef struct {
    const char *title;
    double width;
    kind kind;
} column;

/* The workbook being written, its formats and the first error. */
typedef struct {
    lxw_workbook *wb;
    lxw_format *header, *bold, *money, *ratio, *date, *month, *datetime, *number, *wrap;
    lxw_error first_error;
} book;

/* One sheet being written: its columns, and the row the next put goes to. */
typedef struct {
    book *b;
    lxw_worksheet *ws;
    const column *cols;
    size_t n_cols;
    lxw_row_t row;
} sheet;

static void check(book *b, lxw_error e)
{
    if (e != LXW_NO_ERROR && b->first_error == LXW_NO_ERROR)
        b->first_error = e;
}

static lxw_format *format_of(book *b, kind k)
{
    switch (k) {
    case K_MONEY:
        return b->money;
    case K_RATIO:
        return b->ratio;
    case K_DATE:
        return b->date;
    case K_MONTH:
        return b->month;
    case K_DATETIME:
        return b->datetime;
    case K_NUMBER:
        return b->number;
    case K_TEXT:
    case K_INT:
    default:
        return NULL;
    }
}

static lxw_datetime day_of(lv_date d)
{
    int y, m, dd;
    lv_date_to_ymd(d, &y, &m, &dd);
    return (lxw_datetime){y, m, dd, 0, 0, 0.0};
}

/* An instant as Amsterdam's wall clock (an Excel time has no zone). */
static lxw_datetime local_time_of(time_t t)
{
    int64_t local = (int64_t)t + nl_utc_offset((int64_t)t);
    lv_date day = (lv_date)(local / 86400);
    int64_t s = local % 86400;
    lxw_datetime dt = day_of(day);
    dt.hour = (int)(s / 3600);
    dt.min = (int)(s % 3600 / 60);
    dt.sec = (double)(s % 60);
    return dt;
}

/* ---------------------------------------------------------------------------------------- */
/* Cells                                                                                    */

static void put_text(sheet *s, lxw_col_t c, const char *text)
{
    if (text == NULL || text[0] == '\0')
        check(s->b, worksheet_write_blank(s->ws, s->row, c, NULL));
    else
        check(s->b, worksheet_write_string(s->ws, s->row, c, text, NULL));
}

static void put_int(sheet *s, lxw_col_t c, int64_t v)
{
    check(s->b, worksheet_write_number(s->ws, s->row, c, (double)v, NULL));
}

static void put_money(sheet *s, lxw_col_t c, money_cents cents)
{
    /* The one place money is a double: an Excel cell holds nothing else. cents / 100.0 is
     * the double nearest the exact euro amount, as the decimal "4238575.67" would be. */
    check(s->b, worksheet_write_number(s->ws, s->row, c, (double)cents / 100.0, s->b->money));
}

static void put_number(sheet *s, lxw_col_t c, double v, lxw_format *f)
{
    check(s->b, worksheet_write_number(s->ws, s->row, c, v, f));
}

static void put_date(sheet *s, lxw_col_t c, lv_date d, lxw_format *f)
{
    if (d == LV_DATE_NONE) {
        check(s->b, worksheet_write_blank(s->ws, s->row, c, NULL));
        return;
    }
    lxw_datetime dt = day_of(d);
    check(s->b, worksheet_write_datetime(s->ws, s->row, c, &dt, f));
}

static void put_time(sheet *s, lxw_col_t c, time_t t)
{
    if (t <= 0) {
        check(s->b, worksheet_write_blank(s->ws, s->row, c, NULL));
        return;
    }
    lxw_datetime dt = local_time_of(t);
    check(s->b, worksheet_write_datetime(s->ws, s->row, c, &dt, s->b->datetime));
}

static void put_month(sheet *s, lxw_col_t c, int year, int month)
{
    put_date(s, c, month >= 1 ? lv_date_from_ymd(year, month, 1) : LV_DATE_NONE, s->b->month);
}

/* ---------------------------------------------------------------------------------------- */
/* Sheets                                                                                   */

/* Starts a table sheet: its header row (frozen), its column widths and formats. */
static sheet sheet_begin(book *b, const char *name, const column *cols, size_t n)
{
    sheet s = {.b = b, .ws = workbook_add_worksheet(b->wb, name), .cols = cols, .n_cols = n};
    if (s.ws == NULL) {
        check(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return s;
    }
    for (size_t c = 0; c < n; c++) {
        check(b,
              worksheet_set_column(s.ws, (lxw_col_t)c, (lxw_col_t)c, cols[c].width,
                                   cols[c].kind == K_TEXT ? b->wrap : format_of(b, cols[c].kind)));
        check(b, worksheet_write_string(s.ws, 0, (lxw_col_t)c, cols[c].title, b->header));
    }
    worksheet_freeze_panes(s.ws, 1, 0);
    s.row = 1;
    return s;
}

#define SHEET(b, name, cols) sheet_begin(b, name, cols, sizeof cols / sizeof cols[0])

static const char *yes_no(bool v)
{
    return v ? "ja" : "nee";
}

/* Samenvatting: one figure a row. */
static void write_summary(book *b, const report_input *in)
{
    static const column cols[] = {{"Onderdeel", 44, K_TEXT}, {"Waarde", 24, K_TEXT}};
    sheet s = SHEET(b, "Samenvatting", cols);
    if (s.ws == NULL)
        return;
    const snapshot *snap = in->snap;
    const budget_status *st = snap->status;
    const forecast_result *f = &snap->forecast;
    int with_missing = 0;
    for (size_t i = 0; i < st->n_providers; i++)
        with_missing += st->providers[i].n_missing > 0;
    size_t firing = 0;
    for (size_t i = 0; in->alerts != NULL && i < in->alerts->n; i++)
        firing += in->alerts->items[i].fires;

#define LABEL(text) (put_text(&s, 0, text))
#define NEXT() (s.row++)
    LABEL("Jaar");
    put_int(&s, 1, st->year);
    NEXT();
    LABEL("Stand per (ontvangen tot en met)");
    put_date(&s, 1, snap->as_of != LV_DATE_NONE ? snap->as_of : st->as_of, b->date);
    NEXT();
    LABEL("Gegenereerd op (tijd in Nederland)");
    put_time(&s, 1, in->generated_at);
    NEXT();
    LABEL("Nieuwste declaratie ontvangen op");
    put_time(&s, 1, snap->data_as_of);
    NEXT();
    LABEL("Landelijk plafond");
    put_money(&s, 1, st->cap_cents);
    NEXT();
    LABEL("Besteed");
    put_money(&s, 1, st->spent_cents);
    NEXT();
    LABEL("Besteed als deel van het plafond");
    put_number(&s, 1, st->spent_ratio, b->ratio);
    NEXT();
    LABEL("Resterend");
    put_money(&s, 1, st->remaining_cents);
    NEXT();
    LABEL("Profiel");
    put_text(&s, 1, st->profile_planned ? "gepland (profile.csv)" : "gelijkmatig over het jaar");
    NEXT();
    LABEL("Profiel tot nu toe");
    put_money(&s, 1, st->profile_ytd_cents);
    NEXT();
    LABEL("Profiel tot en met");
    put_date(&s, 1, st->profile_through, b->date);
    NEXT();
    LABEL("Complete maanden");
    put_int(&s, 1, st->complete_months);
    NEXT();
    LABEL("Besteed in de complete maanden");
    put_money(&s, 1, st->spent_complete_cents);
    NEXT();
    LABEL("Reiskosten (inbegrepen)");
    put_money(&s, 1, st->travel_cents);
    NEXT();
    LABEL("Minuten");
    put_int(&s, 1, st->minutes);
    NEXT();
    LABEL("Prognose jaareinde");
    put_money(&s, 1, f->year_end_cents);
    NEXT();
    LABEL("Prognose laag");
    put_money(&s, 1, f->low_cents);
    NEXT();
    LABEL("Prognose hoog");
    put_money(&s, 1, f->high_cents);
    NEXT();
    LABEL("Plafond bereikt op (prognose)");
    if (f->cap_reached_on != LV_DATE_NONE)
        put_date(&s, 1, f->cap_reached_on, b->date);
    else
        put_text(&s, 1, "niet in dit jaar");
    NEXT();
    LABEL("Prognosemethode");
    put_text(&s, 1,
             f->has_run_rate ? "gemiddelde van de complete maanden; bandbreedte van de laagste "
                               "en de hoogste maand"
                             : "uitgaven tot nu toe (nog geen complete maand)");
    NEXT();
    LABEL("Actieve meldingen");
    put_int(&s, 1, (int64_t)firing);
    NEXT();
    LABEL("Zorgaanbieders met een ontbrekende maand");
    put_int(&s, 1, with_missing);
    NEXT();
#undef LABEL
#undef NEXT
}

static void write_months(book *b, const budget_status *st)
{
    static const column cols[] = {
        {"Maand", 16, K_MONTH},
        {"Besteed", 16, K_MONEY},
        {"Cumulatief", 16, K_MONEY},
        {"Profiel cumulatief", 18, K_MONEY},
        {"Reiskosten", 14, K_MONEY},
        {"Minuten", 10, K_INT},
        {"Aanbieders gedeclareerd", 14, K_INT},
        {"Aanbieders verwacht", 14, K_INT},
        {"Aanbieders ontbrekend", 14, K_INT},
        {"Uiterste declaratiedatum", 16, K_DATE},
        {"Compleet", 10, K_TEXT},
    };
    sheet s = SHEET(b, "Maanden", cols);
    if (s.ws == NULL)
        return;
    for (int m = 0; m < BUDGET_MONTHS; m++, s.row++) {
        const budget_month *bm = &st->months[m];
        put_month(&s, 0, st->year, bm->month);
        put_money(&s, 1, bm->spent_cents);
        put_money(&s, 2, bm->cumulative_cents);
        put_money(&s, 3, bm->profile_cents);
        put_money(&s, 4, bm->travel_cents);
        put_int(&s, 5, bm->minutes);
        put_int(&s, 6, bm->providers_declared);
        put_int(&s, 7, bm->providers_expected);
        put_int(&s, 8, bm->providers_missing);
        put_date(&s, 9, bm->deadline, b->date);
        put_text(&s, 10, yes_no(bm->complete));
    }
}

static const budget_extra_cap_status *extra_cap(const budget_status *st, budget_scope scope,
                                                const char *key)
{
    for (size_t i = 0; i < st->n_extra_caps; i++)
        if (st->extra_caps[i].scope == scope && strcmp(st->extra_caps[i].key, key) == 0)
            return &st->extra_caps[i];
    return NULL;
}

static void write_groups(book *b, const budget_status *st)
{
    static const column cols[] = {
        {"Code", 8, K_TEXT},           {"Doelgroep", 40, K_TEXT},      {"Besteed", 16, K_MONEY},
        {"Aandeel", 10, K_RATIO},      {"Reiskosten", 14, K_MONEY},    {"Minuten", 10, K_INT},
        {"Zorgaanbieders", 14, K_INT}, {"Extra plafond", 16, K_MONEY},
    };
    sheet s = SHEET(b, "Doelgroepen", cols);
    if (s.ws == NULL)
        return;
    for (size_t i = 0; i < st->n_groups; i++) {
        const budget_group *g = &st->groups[i];
        if (!g->in_contract)
            continue; /* the contract's groups, as the status document lists them */
        put_text(&s, 0, g->code);
        put_text(&s, 1, g->name);
        put_money(&s, 2, g->spent_cents);
        put_number(&s, 3, g->share_ratio, b->ratio);
        put_money(&s, 4, g->travel_cents);
        put_int(&s, 5, g->minutes);
        put_int(&s, 6, (int64_t)g->n_providers);
        const budget_extra_cap_status *x = extra_cap(st, BUDGET_SCOPE_TARGET_GROUP, g->code);
        if (x != NULL)
            put_money(&s, 7, x->cap_cents);
        s.row++;
    }
}

static void write_zorgkantoren(book *b, const snapshot *snap)
{
    static const column cols[] = {
        {"Code", 8, K_TEXT},           {"Zorgkantoor", 32, K_TEXT},
        {"Besteed", 16, K_MONEY},      {"Aandeel landelijk", 12, K_RATIO},
        {"Zorgaanbieders", 14, K_INT}, {"Reiskosten", 14, K_MONEY},
        {"Minuten", 10, K_INT},
    };
    sheet s = SHEET(b, "Zorgkantoren", cols);
    if (s.ws == NULL)
        return;
    const budget_status *st = snap->status;
    for (size_t i = 0; i < st->n_zorgkantoren; i++, s.row++) {
        const budget_zorgkantoor *z = &st->zorgkantoren[i];
        put_text(&s, 0, z->code[0] ? z->code : "onbekend");
        put_text(&s, 1, z->code[0] ? snapshot_zk_name(snap, z->code) : NULL);
        put_money(&s, 2, z->spent_cents);
        put_number(&s, 3, z->share_ratio, b->ratio);
        put_int(&s, 4, z->n_providers);
        put_money(&s, 5, z->travel_cents);
        put_int(&s, 6, z->minutes);
    }
}

/* The months of @a mask in Dutch: "januari 2026, februari 2026". */
static void month_list(int year, uint16_t mask, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (int m = 1; m <= BUDGET_MONTHS; m++) {
        if (!(mask & (1u << (m - 1))))
            continue;
        char text[NL_FORMAT_MAX];
        int w = snprintf(out + used, size - used, "%s%s", used ? ", " : "",
                         nl_format_month(year, m, text));
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
}

static void write_providers(book *b, const snapshot *snap)
{
    static const column cols[] = {
        {"AGB", 11, K_TEXT},
        {"Zorgaanbieder", 40, K_TEXT},
        {"Zorgkantoor", 12, K_TEXT},
        {"Besteed", 16, K_MONEY},
        {"Reiskosten", 14, K_MONEY},
        {"Minuten", 10, K_INT},
        {"Laatst gedeclareerde maand", 16, K_MONTH},
        {"Ontbrekende maanden", 40, K_TEXT},
        {"Aantal ontbrekend", 12, K_INT},
        {"Te laat ingediende regels", 14, K_INT},
        {"Extra plafond", 16, K_MONEY},
    };
    sheet s = SHEET(b, "Zorgaanbieders", cols);
    if (s.ws == NULL)
        return;
    const budget_status *st = snap->status;
    for (size_t i = 0; i < snap->n_providers; i++, s.row++) {
        const snapshot_provider_info *info = &snap->providers[i];
        const budget_provider *p = budget_status_provider(st, info->agb);
        const budget_provider zero = {.agb = {0}};
        if (p == NULL)
            p = &zero;
        char missing[12 * NL_FORMAT_MAX];
        month_list(st->year, p->months_missing, missing, sizeof missing);
        put_text(&s, 0, info->agb); /* text: an AGB is a code, not a number */
        put_text(&s, 1, info->name);
        put_text(&s, 2, info->zorgkantoor);
        put_money(&s, 3, p->spent_cents);
        put_money(&s, 4, p->travel_cents);
        put_int(&s, 5, p->minutes);
        put_month(&s, 6, st->year, p->last_month_declared);
        put_text(&s, 7, missing);
        put_int(&s, 8, p->n_missing);
        put_int(&s, 9, snapshot_provider_late_lines(snap, i));
        const budget_extra_cap_status *x = extra_cap(st, BUDGET_SCOPE_PROVIDER, info->agb);
        if (x != NULL)
            put_money(&s, 10, x->cap_cents);
    }
}

/* The severity label in Dutch ("warning" -> "waarschuwing"). */
static const char *severity_nl(const char *severity)
{
    if (severity == NULL)
        return NULL;
    if (strcmp(severity, "critical") == 0)
        return "kritiek";
    if (strcmp(severity, "warning") == 0)
        return "waarschuwing";
    return severity; /* "info" is Dutch too */
}

static void write_alerts(book *b, const report_input *in)
{
    static const column cols[] = {
        {"Melding", 28, K_TEXT},       {"Ernst", 10, K_TEXT},    {"Samenvatting", 50, K_TEXT},
        {"Toelichting", 80, K_TEXT},   {"Waarde", 10, K_NUMBER}, {"Doelgroep", 10, K_TEXT},
        {"Zorgaanbieder", 11, K_TEXT}, {"Maand", 10, K_TEXT},    {"Drempel", 9, K_TEXT},
        {"Vingerafdruk", 18, K_TEXT},
    };
    sheet s = SHEET(b, "Meldingen", cols);
    if (s.ws == NULL || in->alerts == NULL)
        return;
    for (size_t i = 0; i < in->alerts->n; i++) {
        const alert_condition *c = &in->alerts->items[i];
        if (!c->fires)
            continue; /* a condition inside its hysteresis band fires nothing on its own */
        put_text(&s, 0, alert_rule_name(c->rule));
        put_text(&s, 1, severity_nl(alert_condition_label(c, "severity")));
        put_text(&s, 2, c->summary_nl);
        put_text(&s, 3, c->description_nl);
        put_number(&s, 4, c->value, b->number);
        put_text(&s, 5, alert_condition_label(c, "target_group"));
        put_text(&s, 6, alert_condition_label(c, "provider"));
        put_text(&s, 7, alert_condition_label(c, "month"));
        put_text(&s, 8, alert_condition_label(c, "threshold"));
        put_text(&s, 9, c->fingerprint);
        s.row++;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The workbook                                                                             */

static lxw_format *new_format(book *b, const char *num_format)
{
    lxw_format *f = workbook_add_format(b->wb);
    if (f == NULL)
        check(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
    else if (num_format != NULL)
        format_set_num_format(f, num_format);
    return f;
}

alert_condition_set *report_alerts_new(const snapshot *snap, const lv_config *cfg)
{
    alert_config rules;
    alert_engine_rule_config(cfg, &rules);
    return alert_rules_evaluate(snap->status, &snap->forecast, &rules);
}

bool report_xlsx_write(const report_input *in, const char *path, const char *tmpdir, lv_error *err)
{
    lxw_workbook_options options = {
        .constant_memory = LXW_FALSE, .tmpdir = (char *)tmpdir, .use_zip64 = LXW_FALSE};
    book b = {.wb = workbook_new_opt(path, &options), .first_error = LXW_NO_ERROR};
    if (b.wb == NULL) {
        lv_error_set(err, LV_REPORT_FAILED, 0, NULL, "cannot create the workbook '%s'", path);
        return false;
    }
    char title[64];
    snprintf(title, sizeof title, "C&A-budget LVHC %d", in->snap->year);
    lxw_doc_properties props = {.title = title,
                                .subject = "Maandrapportage consultatie en advies",
                                .author = "lvhcmon",
                                .created = in->generated_at};
    check(&b, workbook_set_properties(b.wb, &props));
    b.header = new_format(&b, NULL);
    b.money = new_format(&b, REPORT_EURO_FORMAT);
    b.ratio = new_format(&b, "0.0%");
    b.date = new_format(&b, "dd-mm-yyyy");
    b.month = new_format(&b, "mmmm yyyy");
    b.datetime = new_format(&b, "dd-mm-yyyy hh:mm");
    b.number = new_format(&b, "0.00");
    b.wrap = new_format(&b, NULL);
    if (b.header != NULL) {
        format_set_bold(b.header);
        format_set_text_wrap(b.header);
        format_set_bottom(b.header, LXW_BORDER_THIN);
    }
    if (b.wrap != NULL)
        format_set_align(b.wrap, LXW_ALIGN_VERTICAL_TOP);
    if (b.first_error == LXW_NO_ERROR) {
        write_summary(&b, in);
        write_months(&b, in->snap->status);
        write_groups(&b, in->snap->status);
        write_zorgkantoren(&b, in->snap);
        write_providers(&b, in->snap);
        write_alerts(&b, in);
    }
    lxw_error closed = workbook_close(b.wb); /* writes the file and frees the workbook */
    check(&b, closed);
    if (b.first_error != LXW_NO_ERROR) {
        lv_error_set(err, LV_REPORT_FAILED, 0, NULL, "the workbook could not be written: %s",
                     lxw_strerror(b.first_error));
        return false;
    }
    return true;
}

char *report_xlsx_bytes_new(const report_input *in, const char *tmpdir, size_t *len, lv_error *err)
{
    const char *dir = tmpdir != NULL && tmpdir[0] != '\0' ? tmpdir : "/tmp";
    char path[4096];
    snprintf(path, sizeof path, "%s/lvhcmon-report-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0) {
        lv_error_set(err, LV_REPORT_FAILED, 0, NULL, "cannot create a temporary file in %s: %s",
                     dir, strerror(errno));
        return NULL;
    }
    close(fd); /* libxlsxwriter opens the file by its name */
    char *bytes = NULL;
    if (report_xlsx_write(in, path, dir, err)) {
        bytes = file_read_all(path, 256u * 1024 * 1024, len, err);
        if (bytes == NULL)
            lv_error_prefix(err, "the workbook was written but cannot be read back");
    }
    unlink(path); /* always: the bytes are in memory now, or there are none */
    return bytes;
}

void report_file_name(const snapshot *snap, char buf[48])
{
    char day[11];
    lv_date_format_iso(snap->as_of != LV_DATE_NONE ? snap->as_of : snap->status->as_of, day);
    snprintf(buf, 48, "lvhcmon-%d-stand-%s.xlsx", snap->year, day);
}
