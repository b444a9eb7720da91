/*
 * demogen.c: the deterministic demo data generator of lvhcmon (lvhcmon-demogen).
 *
 *   lvhcmon-demogen --reference DIR --out DIR [--seed N] [--year 2026] [--through-month 10]
 *                   [--deadline-working-days 17]
 *
 * Reads the reference files the service loads (target_groups.csv, prestaties.csv,
 * providers.csv, designations.csv, rates.csv, holidays.csv) and writes one CSV declaration
 * file per day on which invoices arrive, DIR/declarations-YYYY-MM-DD.csv (the date is the
 * arrival: `lvhcmon import --received-on` it), in the CSV declaration format of doc/api.md, plus
 * DIR/expected.txt: what the monitor should make of them (key=value lines).
 *
 * Why it reads the reference files instead of keeping tables of its own: the demo must agree
 * with what the service validates against (designations, prestatie codes, rates), and the
 * reference files are ILLUSTRATIVE and will be replaced; one source of truth survives that.
 *
 * The model, in short. Every provider has C&A trajectories per designated target group; a
 * trajectory is one client (a fresh BSN that passes the 11-test) who receives C&A minutes
 * during a few consecutive months, more in the first (intake) month. Trajectories of groups
 * that were declarable before the year may have started last year (carry-over); groups or
 * designations that start within the year ramp up from zero. A provider declares every
 * month it is designated, one invoice (reference "YYYY-MM") per month, with line references
 * "YYYY-MM-NNNN" unique per provider. On top of that the generator plants, chosen by the
 * seed: providers that stop declaring after some month (missing declarations), corrections
 * (a credit line reversing an earlier month's debit plus a new debit with the corrected
 * minutes) and a handful of lines the monitor must reject (bad BSN, LBS prestatie, unknown
 * prestatie, dates spanning two months, service after a designation ended).
 *
 * Arrivals: an invoice of month M arrives after M ends, on a working day (Monday to Friday,
 * not in holidays.csv) inside its declaration window: by the deadline, the
 * --deadline-working-days-th working day after the month (17, as the service's default).
 * Each provider has a habit (early, in the middle, near the deadline). A few invoices arrive
 * late, after the deadline; one provider sends nothing for May and June and then catches up,
 * sending May, June and July together a few working days after July's deadline. So the
 * figures as of a past day (as_of) show what was really known then, and the months a
 * provider had missing at the time.
 *
 * Determinism: one splitmix64 stream per provider, seeded from --seed and the AGB code, plus
 * one plan stream (provider sizes and the planted events). Each provider's stream draws the
 * whole year in a fixed order whatever --through-month is, so the file of a month does not
 * depend on how many months are written. Never rand(): its sequence differs between C
 * libraries. Provider sizes are spread evenly and trajectory starts stratified, so the
 * national total moves only a few percent between seeds (the demo must overrun the cap).
 *
 * The expected priced total follows doc/domain.md exactly (integers, one rounding per line, half
 * away from zero): minutes * tariff_per_hour * rate_bp / 600000 plus travel_cents on time
 * lines; units * tariff (* rate_bp / 10000 when rate_applies) on travel prestaties.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

/* ---- Tunables of the model (volume calibrated for 2026: Jan-Oct lands at ~EUR 4.1M) ---- */

#define TRAJ_PER_PROVIDER_MIN 17 /* trajectories (clients) per provider per year */
#define TRAJ_PER_PROVIDER_MAX 33
#define TRAJ_LEN_MIN 3 /* months a trajectory lasts */
#define TRAJ_LEN_MAX 9
#define CARRY_START_MIN (-6)   /* earliest start month of a carried-over trajectory */
#define INTAKE_MIN_MINUTES 240 /* first month of a trajectory */
#define INTAKE_MAX_MINUTES 600
#define FOLLOW_MIN_MINUTES 120 /* later months */
#define FOLLOW_MAX_MINUTES 480
#define MINUTE_STEP 15
#define TRAVEL_AMOUNT_PCT 30 /* share of time lines that carry travel_cents */
#define TRIP_LINE_PCT 12     /* share of client-months with a trip prestatie line */
#define KM_LINE_PCT 10       /* share of client-months with a km prestatie line */

#define N_STOPPERS 4 /* providers that stop declaring after some month */
#define N_CORRECTIONS 3
#define N_LATE 5        /* providers with one invoice after the deadline */
#define LATE_MIN_DAYS 3 /* working days after the deadline */
#define LATE_MAX_DAYS 12
#define CATCH_UP_FIRST 5 /* the catching-up provider's months, sent together... */
#define CATCH_UP_LAST 7
#define CATCH_UP_DAYS 3 /* ...this many working days after the last one's deadline */
#define DEADLINE_WORKING_DAYS 17
#define UNKNOWN_PRESTATIE "CAXYZ"
#define MAX_FIELDS 16
#define MAX_MONTHS 12
#define DATE_BUF 32 /* "YYYY-MM-DD" */
#define REF_BUF 32  /* "YYYY-MM-NNNN"; the service allows 20 */

static const int stop_after_month[N_STOPPERS] = {4, 6, 7, 8};
static const int late_month[N_LATE] = {2, 4, 6, 8, 9};
static const int correction_month[N_CORRECTIONS] = {3, 6, 9};

/* ---- Small utilities ---- */

static _Noreturn void die(const char *what, const char *detail)
{
    fprintf(stderr, "lvhcmon-demogen: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

static void *xrealloc(void *p, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        die("out of memory", NULL);
    void *q = realloc(p, n * size > 0 ? n * size : 1);
    if (!q)
        die("out of memory", NULL);
    return q;
}

/** Grows *items (of *cap elements) so that one more fits after *n; returns the new slot. */
static void *grow(void **items, size_t *n, size_t *cap, size_t size)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *items = xrealloc(*items, *cap, size);
    }
    char *slot = (char *)*items + (*n)++ * size;
    memset(slot, 0, size);
    return slot;
}

static void copy_str(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src);
}

/* ---- PRNG: splitmix64 (Steele, Lea, Flood 2014), tiny and the same everywhere ---- */

typedef struct {
    uint64_t state;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/** @return a number in [lo, hi], both inclusive. */
static int rng_range(rng *r, int lo, int hi)
{
    return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static bool rng_percent(rng *r, int pct)
{
    return rng_range(r, 0, 99) < pct;
}

/** FNV-1a: mixes an AGB code into a stream seed. */
static uint64_t hash_text(const char *s)
{
    uint64_t h = UINT64_C(0xCBF29CE484222325);
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(0x100000001B3);
    return h;
}

static rng rng_for(uint64_t seed, const char *salt)
{
    rng r = {seed ^ hash_text(salt)};
    rng_next(&r);
    return r;
}

/* ---- Dates as YYYYMMDD integers: ordered like dates, and that is all we need ---- */

static int days_in_month(int year, int month)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : dim[month - 1];
}

static int ymd(int year, int month, int day)
{
    return year * 10000 + month * 100 + day;
}

/** Parses "YYYY-MM-DD"; "" gives @a empty. Dies on anything else. */
static int parse_date(const char *text, int empty, const char *file)
{
    int y, m, d;
    char tail;
    if (text[0] == '\0')
        return empty;
    if (strlen(text) != 10 || sscanf(text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 ||
        m > 12 || d < 1 || d > days_in_month(y, m))
        die("invalid date in", file);
    return ymd(y, m, d);
}

/** @return the day after @a date. */
static int next_day(int date)
{
    int y = date / 10000, m = date / 100 % 100, d = date % 100;
    if (d < days_in_month(y, m))
        return date + 1;
    return m < 12 ? ymd(y, m + 1, 1) : ymd(y + 1, 1, 1);
}

/** @return 0 (Sunday) .. 6 (Saturday): Sakamoto's method. */
static int weekday(int date)
{
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    int y = date / 10000, m = date / 100 % 100, d = date % 100;
    if (m < 3)
        y--;
    return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

/** Writes "YYYY-MM-DD"; the buffer has room for what the compiler cannot rule out. */
static void format_date(int date, char buf[DATE_BUF])
{
    snprintf(buf, DATE_BUF, "%04d-%02d-%02d", date / 10000 % 10000, date / 100 % 100, date % 100);
}

/* ---- Money: the one rounding rule of the project, half away from zero ---- */

static int64_t div_round_half_away(int64_t num, int64_t den)
{
    return num >= 0 ? (num + den / 2) / den : -((-num + den / 2) / den);
}

/* ---- Reference data ---- */

typedef enum { KIND_TIME = 0, KIND_TRIP, KIND_KM } prestatie_kind;

typedef struct {
    char code[8];
    int ca_from; /* YYYYMMDD; 0: the group has no C&A (LBS) */
} group_row;

typedef struct {
    char code[8];
    char group[8];
    prestatie_kind kind;
    int64_t tariff_cents;
    bool rate_applies;
} prestatie_row;

typedef struct {
    char agb[9];
    int rate_bp; /* for the demo year; 0 when rates.csv has none */
} provider_row;

typedef struct {
    char agb[9];
    char group[8];
    int from;
    int to; /* 99991231 when open */
} designation_row;

typedef struct {
    group_row *groups;
    size_t n_groups, cap_groups;
    prestatie_row *prestaties; /* of the demo year only */
    size_t n_prestaties, cap_prestaties;
    bool unknown_code_exists; /* UNKNOWN_PRESTATIE is known in some year */
    provider_row *providers;
    size_t n_providers, cap_providers;
    designation_row *designations;
    size_t n_designations, cap_designations;
    int *holidays; /* YYYYMMDD, as listed */
    size_t n_holidays, cap_holidays;
} refset;

/* ---- Minimal CSV reading: our own simple files (header line, RFC 4180 quotes) ---- */

typedef struct {
    char *buf;  /* whole file, split in place */
    char *next; /* start of the next unread line */
    const char *path;
    char *header[MAX_FIELDS];
    size_t n_header;
} csv_file;

/** Splits one line in place into @a fields. @return the number of fields. */
static size_t csv_split(char *line, char **fields)
{
    size_t n = 0;
    char *p = line;
    for (;;) {
        char *out = p;
        fields[n++] = p;
        if (*p == '"') {
            for (char *in = p + 1; *in; in++) {
                if (*in == '"' && in[1] == '"')
                    *out++ = *in++;
                else if (*in == '"') {
                    p = in + 1;
                    break;
                } else
                    *out++ = *in;
            }
        } else {
            while (*p && *p != ',')
                p++;
            out = p;
        }
        bool more = *p == ',';
        *out = '\0';
        if (!more || n == MAX_FIELDS)
            return n;
        p++;
    }
}

/** Reads the next non-empty line. @return false at the end of the file. */
static bool csv_next(csv_file *f, char **fields, size_t *n)
{
    while (f->next && *f->next) {
        char *line = f->next;
        char *nl = strchr(line, '\n');
        f->next = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        size_t len = strlen(line);
        if (len && line[len - 1] == '\r')
            line[len - 1] = '\0';
        if (*line) {
            *n = csv_split(line, fields);
            return true;
        }
    }
    return false;
}

static void csv_open(csv_file *f, const char *dir, const char *name)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *in = fopen(path, "rb");
    if (!in)
        die("cannot open reference file", path);
    size_t cap = 4096, len = 0;
    f->buf = xrealloc(NULL, cap, 1);
    size_t got;
    while ((got = fread(f->buf + len, 1, cap - len - 1, in)) > 0) {
        len += got;
        if (cap - len < 2)
            f->buf = xrealloc(f->buf, cap *= 2, 1);
    }
    fclose(in);
    f->buf[len] = '\0';
    f->next = f->buf;
    f->path = path;
    if (strncmp(f->next, "\xEF\xBB\xBF", 3) == 0) /* tolerate a UTF-8 byte order mark */
        f->next += 3;
    if (!csv_next(f, f->header, &f->n_header))
        die("empty reference file", path);
}

/** @return the index of column @a name in the header; dies when it is missing. */
static size_t csv_column(const csv_file *f, const char *name)
{
    for (size_t i = 0; i < f->n_header; i++)
        if (strcmp(f->header[i], name) == 0)
            return i;
    fprintf(stderr, "lvhcmon-demogen: %s has no column '%s'\n", f->path, name);
    exit(1);
}

/** Fetches column @a col of a row, dying on a short row. */
static const char *csv_field(const csv_file *f, char **fields, size_t n, size_t col)
{
    if (col >= n)
        die("short row in", f->path);
    return fields[col];
}

static void load_groups(refset *rs, const char *dir)
{
    csv_file f;
    char *fld[MAX_FIELDS];
    size_t n;
    csv_open(&f, dir, "target_groups.csv");
    size_t c_code = csv_column(&f, "code"), c_from = csv_column(&f, "ca_from");
    while (csv_next(&f, fld, &n)) {
        group_row *g = grow((void **)&rs->groups, &rs->n_groups, &rs->cap_groups, sizeof *g);
        copy_str(g->code, sizeof g->code, csv_field(&f, fld, n, c_code));
        g->ca_from = parse_date(csv_field(&f, fld, n, c_from), 0, f.path);
    }
    free(f.buf);
}

static prestatie_kind parse_kind(const char *kind, const char *unit, const char *path)
{
    if (strcmp(kind, "time") == 0 && strcmp(unit, "hour") == 0)
        return KIND_TIME;
    if (strcmp(kind, "travel") == 0 && strcmp(unit, "trip") == 0)
        return KIND_TRIP;
    if (strcmp(kind, "travel") == 0 && strcmp(unit, "km") == 0)
        return KIND_KM;
    die("unknown prestatie kind/unit in", path);
    return KIND_TIME;
}

static void load_prestaties(refset *rs, const char *dir, int year)
{
    csv_file f;
    char *fld[MAX_FIELDS];
    size_t n;
    csv_open(&f, dir, "prestaties.csv");
    size_t c_year = csv_column(&f, "year"), c_code = csv_column(&f, "code"),
           c_group = csv_column(&f, "target_group"), c_kind = csv_column(&f, "kind"),
           c_tariff = csv_column(&f, "tariff_cents"), c_unit = csv_column(&f, "unit"),
           c_rate = csv_column(&f, "rate_applies");
    while (csv_next(&f, fld, &n)) {
        const char *code = csv_field(&f, fld, n, c_code);
        if (strcmp(code, UNKNOWN_PRESTATIE) == 0)
            rs->unknown_code_exists = true;
        if (atoi(csv_field(&f, fld, n, c_year)) != year)
            continue;
        prestatie_row *p =
            grow((void **)&rs->prestaties, &rs->n_prestaties, &rs->cap_prestaties, sizeof *p);
        copy_str(p->code, sizeof p->code, code);
        copy_str(p->group, sizeof p->group, csv_field(&f, fld, n, c_group));
        p->kind = parse_kind(csv_field(&f, fld, n, c_kind), csv_field(&f, fld, n, c_unit), f.path);
        p->tariff_cents = strtoll(csv_field(&f, fld, n, c_tariff), NULL, 10);
        p->rate_applies = strcmp(csv_field(&f, fld, n, c_rate), "true") == 0;
    }
    free(f.buf);
}

static void load_providers(refset *rs, const char *dir)
{
    csv_file f;
    char *fld[MAX_FIELDS];
    size_t n;
    csv_open(&f, dir, "providers.csv");
    size_t c_agb = csv_column(&f, "agb");
    while (csv_next(&f, fld, &n)) {
        provider_row *p =
            grow((void **)&rs->providers, &rs->n_providers, &rs->cap_providers, sizeof *p);
        copy_str(p->agb, sizeof p->agb, csv_field(&f, fld, n, c_agb));
    }
    free(f.buf);
}

static provider_row *find_provider(refset *rs, const char *agb)
{
    for (size_t i = 0; i < rs->n_providers; i++)
        if (strcmp(rs->providers[i].agb, agb) == 0)
            return &rs->providers[i];
    return NULL;
}

static void load_rates(refset *rs, const char *dir, int year)
{
    csv_file f;
    char *fld[MAX_FIELDS];
    size_t n;
    csv_open(&f, dir, "rates.csv");
    size_t c_agb = csv_column(&f, "agb"), c_year = csv_column(&f, "year"),
           c_rate = csv_column(&f, "rate_bp");
    while (csv_next(&f, fld, &n)) {
        provider_row *p = find_provider(rs, csv_field(&f, fld, n, c_agb));
        if (p && atoi(csv_field(&f, fld, n, c_year)) == year)
            p->rate_bp = atoi(csv_field(&f, fld, n, c_rate));
    }
    free(f.buf);
}

static void load_designations(refset *rs, const char *dir)
{
    csv_file f;
    char *fld[MAX_FIELDS];
    size_t n;
    csv_open(&f, dir, "designations.csv");
    size_t c_agb = csv_column(&f, "agb"), c_group = csv_column(&f, "target_group"),
           c_from = csv_column(&f, "valid_from"), c_to = csv_column(&f, "valid_to");
    while (csv_next(&f, fld, &n)) {
        designation_row *d =
            grow((void **)&rs->designations, &rs->n_designations, &rs->cap_designations, sizeof *d);
        copy_str(d->agb, sizeof d->agb, csv_field(&f, fld, n, c_agb));
        copy_str(d->group, sizeof d->group, csv_field(&f, fld, n, c_group));
        d->from = parse_date(csv_field(&f, fld, n, c_from), 0, f.path);
        d->to = parse_date(csv_field(&f, fld, n, c_to), 99991231, f.path);
    }
    free(f.buf);
}

static void load_holidays(refset *rs, const char *dir)
{
    csv_file f;
    char *fld[MAX_FIELDS];
    size_t n;
    csv_open(&f, dir, "holidays.csv");
    size_t c_day = csv_column(&f, "day");
    while (csv_next(&f, fld, &n)) {
        int *d = grow((void **)&rs->holidays, &rs->n_holidays, &rs->cap_holidays, sizeof *d);
        *d = parse_date(csv_field(&f, fld, n, c_day), 0, f.path);
    }
    free(f.buf);
}

static bool working_day(const refset *rs, int date)
{
    int wd = weekday(date);
    if (wd == 0 || wd == 6)
        return false;
    for (size_t i = 0; i < rs->n_holidays; i++)
        if (rs->holidays[i] == date)
            return false;
    return true;
}

/** @return the @a n-th working day after @a date. */
static int add_working_days(const refset *rs, int date, int n)
{
    while (n > 0) {
        date = next_day(date);
        if (working_day(rs, date))
            n--;
    }
    return date;
}

static const group_row *find_group(const refset *rs, const char *code)
{
    for (size_t i = 0; i < rs->n_groups; i++)
        if (strcmp(rs->groups[i].code, code) == 0)
            return &rs->groups[i];
    return NULL;
}

/** @return the demo year's prestatie of @a kind for @a group, or NULL. */
static const prestatie_row *find_prestatie(const refset *rs, const char *group, prestatie_kind kind)
{
    for (size_t i = 0; i < rs->n_prestaties; i++)
        if (rs->prestaties[i].kind == kind && strcmp(rs->prestaties[i].group, group) == 0)
            return &rs->prestaties[i];
    return NULL;
}

/* ---- Generated lines ---- */

typedef struct {
    int month;       /* the month whose file holds the line (the invoice month) */
    size_t provider; /* index in refset.providers */
    char line_ref[REF_BUF];
    char bsn[10];
    const prestatie_row *prestatie; /* NULL for the unknown code */
    const char *group;              /* for the summary: the prestatie's group */
    int date_from, date_to;
    int64_t quantity; /* minutes, trips or km */
    int64_t travel_cents;
    char debit_credit;
    char corrects_ref[REF_BUF];
    int64_t amount_cents; /* expected, signed; 0 for a line the monitor must reject */
    const char *reject;   /* expected rejection code, NULL when the line should be accepted */
} demo_line;

typedef struct {
    demo_line *items;
    size_t n, cap;
} line_list;

/** The price doc/domain.md prescribes, for a debit; callers negate credits. */
static int64_t price_line(const prestatie_row *p, int rate_bp, int64_t quantity,
                          int64_t travel_cents)
{
    if (p->kind == KIND_TIME)
        return div_round_half_away(quantity * p->tariff_cents * rate_bp, 600000) + travel_cents;
    if (p->rate_applies)
        return div_round_half_away(quantity * p->tariff_cents * rate_bp, 10000);
    return quantity * p->tariff_cents;
}

/* ---- Clients: BSNs that pass the 11-test ---- */

/** Weighted sum of the first eight digits (weights 9..2). */
static int bsn_weighted_sum(const char *bsn)
{
    int sum = 0;
    for (int i = 0; i < 8; i++)
        sum += (bsn[i] - '0') * (9 - i);
    return sum;
}

/** Draws 8 digits (the first non-zero) and appends the check digit; redraws on 10. */
static void bsn_generate(rng *r, char bsn[10])
{
    int check;
    do {
        bsn[0] = (char)('0' + rng_range(r, 1, 9));
        for (int i = 1; i < 8; i++)
            bsn[i] = (char)('0' + rng_range(r, 0, 9));
        check = bsn_weighted_sum(bsn) % 11;
    } while (check == 10);
    bsn[8] = (char)('0' + check);
    bsn[9] = '\0';
}

/** Turns a valid BSN into one that fails the 11-test: the sum moves by 1 or 9 mod 11. */
static void bsn_break(char bsn[10])
{
    bsn[8] = bsn[8] == '9' ? '0' : (char)(bsn[8] + 1);
}

/* ---- Per-provider model ---- */

typedef struct {
    char bsn[10];
    const char *group;
    const prestatie_row *time, *trip, *km;
    int start, end; /* months, start may be before January (carry-over) */
} trajectory;

typedef struct {
    const char *group;
    bool covered[MAX_MONTHS + 1]; /* a designation covers the whole month and C&A is open */
    bool carry;                   /* trajectories may have started last year */
} provider_group;

typedef struct {
    size_t size;          /* trajectories (clients) in the year */
    int stop_after;       /* last month declared; 12 when it never stops */
    int correction_month; /* 0: none */
    const char *bad_code; /* planted rejection for this provider, NULL: none */
    int bad_month;
    int late_month;              /* 0: none; else the invoice that arrives after the deadline */
    bool catch_up;               /* sends CATCH_UP_FIRST..LAST together, late */
    int arrival[MAX_MONTHS + 1]; /* YYYYMMDD each month's invoice arrives */
} provider_plan;

typedef struct {
    const refset *rs;
    int year, through_month, working_days;
    uint64_t seed;
    line_list lines;
    provider_plan *plans;
    int deadline[MAX_MONTHS + 1]; /* YYYYMMDD of each month's declaration deadline */
} generator;

static bool designation_covers(const designation_row *d, int from, int to)
{
    return d->from <= from && d->to >= to;
}

/** Finds the provider's distinct C&A groups and the months each may be declared in. */
static size_t provider_groups(const generator *g, const char *agb, provider_group *out, size_t max)
{
    size_t n = 0;
    const refset *rs = g->rs;
    for (size_t i = 0; i < rs->n_designations; i++) {
        const designation_row *d = &rs->designations[i];
        const group_row *grp = find_group(rs, d->group);
        if (strcmp(d->agb, agb) != 0 || !grp || grp->ca_from == 0 ||
            !find_prestatie(rs, d->group, KIND_TIME))
            continue;
        size_t k = 0;
        while (k < n && strcmp(out[k].group, d->group) != 0)
            k++;
        if (k == n) {
            if (n == max)
                continue;
            memset(&out[n], 0, sizeof out[n]);
            out[n++].group = grp->code;
        }
        for (int m = 1; m <= MAX_MONTHS; m++) {
            int first = ymd(g->year, m, 1), last = ymd(g->year, m, days_in_month(g->year, m));
            if (designation_covers(d, first, last) && grp->ca_from <= first)
                out[k].covered[m] = true;
        }
        if (d->from < ymd(g->year, 1, 1) && grp->ca_from < ymd(g->year, 1, 1) && out[k].covered[1])
            out[k].carry = true;
    }
    return n;
}

static int first_covered_month(const provider_group *pg)
{
    for (int m = 1; m <= MAX_MONTHS; m++)
        if (pg->covered[m])
            return m;
    return 0;
}

/** A fresh client BSN, distinct from the provider's other clients. */
static void new_client(rng *r, const trajectory *ts, size_t n, char bsn[10])
{
    bool clash;
    do {
        bsn_generate(r, bsn);
        clash = false;
        for (size_t i = 0; i < n; i++)
            clash = clash || strcmp(ts[i].bsn, bsn) == 0;
    } while (clash);
}

static void init_trajectory(const refset *rs, trajectory *t, const char *group, int start, int len)
{
    t->group = group;
    t->time = find_prestatie(rs, group, KIND_TIME);
    t->trip = find_prestatie(rs, group, KIND_TRIP);
    t->km = find_prestatie(rs, group, KIND_KM);
    t->start = start;
    t->end = start + len - 1;
}

static bool group_active(const provider_group *pg, size_t n_pg, const trajectory *t, int m)
{
    for (size_t k = 0; k < n_pg; k++)
        if (pg[k].group == t->group)
            return m >= t->start && m <= t->end && pg[k].covered[m];
    return false;
}

/**
 * Draws the provider's trajectories for the whole year: a size, split over its groups (the
 * first designated group gets the larger share), then fills months that would otherwise be
 * empty, so only the planted stoppers ever miss a month.
 */
static trajectory *plan_trajectories(const generator *g, rng *r, size_t size,
                                     const provider_group *pg, size_t n_pg, size_t *n_out)
{
    size_t total = size, cap = total + MAX_MONTHS + n_pg, n = 0;
    trajectory *ts = xrealloc(NULL, cap, sizeof *ts);
    for (size_t k = 0; k < n_pg; k++) {
        size_t share = n_pg == 1 ? total : k == 0 ? total * 2 / 3 : total / 3 / (n_pg - 1) + 1;
        int first = first_covered_month(&pg[k]);
        if (first == 0)
            continue;
        int lo = pg[k].carry ? CARRY_START_MIN : first, span = MAX_MONTHS - lo + 1;
        for (size_t i = 0; i < share; i++) {
            /* Stratified: the i-th start falls in the i-th slice of the possible months, so
             * the active clients per month, and with them the total, vary little by seed. */
            int start = lo + (int)(((int)i * span + rng_range(r, 0, span - 1)) / (int)share);
            new_client(r, ts, n, ts[n].bsn);
            init_trajectory(g->rs, &ts[n++], pg[k].group, start,
                            rng_range(r, TRAJ_LEN_MIN, TRAJ_LEN_MAX));
        }
    }
    for (int m = 1; m <= MAX_MONTHS; m++) {
        bool any = false, declarable = false;
        size_t kk = 0;
        for (size_t i = 0; i < n; i++)
            any = any || group_active(pg, n_pg, &ts[i], m);
        for (size_t k = 0; k < n_pg && !declarable; k++)
            if (pg[k].covered[m])
                declarable = true, kk = k;
        if (any || !declarable)
            continue;
        new_client(r, ts, n, ts[n].bsn);
        init_trajectory(g->rs, &ts[n++], pg[kk].group, m, rng_range(r, TRAJ_LEN_MIN, TRAJ_LEN_MAX));
    }
    *n_out = n;
    return ts;
}

/** Appends a line of provider @a p in @a month, numbering it "YYYY-MM-NNNN". */
static demo_line *emit(generator *g, size_t p, int month, int *seq)
{
    demo_line *l = grow((void **)&g->lines.items, &g->lines.n, &g->lines.cap, sizeof *l);
    l->month = month;
    l->provider = p;
    l->debit_credit = 'D';
    snprintf(l->line_ref, sizeof l->line_ref, "%04d-%02d-%04d", g->year, month, ++*seq);
    return l;
}

/** Fills a debit line and its expected amount. */
static void set_debit(demo_line *l, const prestatie_row *pr, int rate_bp, const char *bsn, int from,
                      int to, int64_t quantity, int64_t travel_cents)
{
    l->prestatie = pr;
    l->group = pr ? pr->group : NULL;
    copy_str(l->bsn, sizeof l->bsn, bsn);
    l->date_from = from;
    l->date_to = to;
    l->quantity = quantity;
    l->travel_cents = travel_cents;
    l->amount_cents = pr ? price_line(pr, rate_bp, quantity, travel_cents) : 0;
}

/**
 * One client-month: the time line, and sometimes trip and km lines with the same dates. All
 * draws happen whether or not the lines are written, so the stream stays aligned.
 */
static void client_month(generator *g, rng *r, size_t p, const trajectory *t, int m,
                         bool emit_lines, int *seq)
{
    int dim = days_in_month(g->year, m);
    int day_from = rng_range(r, 1, 12);
    int day_to = rng_range(r, day_from + 5, dim);
    bool intake = m == t->start;
    int lo = intake ? INTAKE_MIN_MINUTES : FOLLOW_MIN_MINUTES;
    int hi = intake ? INTAKE_MAX_MINUTES : FOLLOW_MAX_MINUTES;
    int64_t minutes = (int64_t)rng_range(r, lo / MINUTE_STEP, hi / MINUTE_STEP) * MINUTE_STEP;
    bool has_travel = rng_percent(r, TRAVEL_AMOUNT_PCT);
    int64_t travel = has_travel ? rng_range(r, 40, 450) * 10 : 0;
    bool has_trip = rng_percent(r, TRIP_LINE_PCT);
    int64_t trips = rng_range(r, 1, 3);
    bool has_km = rng_percent(r, KM_LINE_PCT);
    int64_t km = rng_range(r, 12, 160);
    if (!emit_lines)
        return;
    int rate = g->rs->providers[p].rate_bp, from = ymd(g->year, m, day_from),
        to = ymd(g->year, m, day_to);
    set_debit(emit(g, p, m, seq), t->time, rate, t->bsn, from, to, minutes, travel);
    if (has_trip && t->trip)
        set_debit(emit(g, p, m, seq), t->trip, rate, t->bsn, from, to, trips, 0);
    if (has_km && t->km)
        set_debit(emit(g, p, m, seq), t->km, rate, t->bsn, from, to, km, 0);
}

/** The latest time debit of provider @a p in a month before @a month, or NULL. */
static const demo_line *earlier_time_debit(const generator *g, size_t p, int month)
{
    for (size_t i = g->lines.n; i-- > 0;) {
        const demo_line *l = &g->lines.items[i];
        if (l->provider == p && l->month < month && l->debit_credit == 'D' && !l->reject &&
            l->prestatie && l->prestatie->kind == KIND_TIME && !l->corrects_ref[0])
            return l;
    }
    return NULL;
}

/** A correction: a credit reversing an earlier debit, then the debit with corrected minutes. */
static void plant_correction(generator *g, size_t p, int m, int *seq)
{
    const demo_line *orig = earlier_time_debit(g, p, m);
    if (!orig)
        return;
    demo_line o = *orig; /* emit() may move the array */
    int rate = g->rs->providers[p].rate_bp;
    demo_line *c = emit(g, p, m, seq);
    set_debit(c, o.prestatie, rate, o.bsn, o.date_from, o.date_to, o.quantity, o.travel_cents);
    c->debit_credit = 'C';
    c->amount_cents = -c->amount_cents;
    copy_str(c->corrects_ref, sizeof c->corrects_ref, o.line_ref);
    int64_t corrected = o.quantity > 180 ? o.quantity - 60 : o.quantity + 30;
    set_debit(emit(g, p, m, seq), o.prestatie, rate, o.bsn, o.date_from, o.date_to, corrected,
              o.travel_cents);
}

/** A line the monitor must reject, of the kind @a code names. */
static void plant_rejection(generator *g, rng *r, size_t p, int m, const char *code,
                            const provider_group *pg, size_t n_pg, const trajectory *ts,
                            size_t n_ts, int *seq)
{
    const refset *rs = g->rs;
    const prestatie_row *pr = NULL;
    for (size_t k = 0; k < n_pg && !pr; k++)
        if (pg[k].covered[m])
            pr = find_prestatie(rs, pg[k].group, KIND_TIME);
    char bsn[10];
    new_client(r, ts, n_ts, bsn);
    int from = ymd(g->year, m, 3), to = ymd(g->year, m, 20);
    if (strcmp(code, "0435") == 0) {
        bsn_break(bsn);
    } else if (strcmp(code, "9101") == 0) {
        pr = NULL;
        for (size_t i = 0; i < rs->n_prestaties && !pr; i++) {
            const group_row *grp = find_group(rs, rs->prestaties[i].group);
            if (grp && grp->ca_from == 0 && rs->prestaties[i].kind == KIND_TIME)
                pr = &rs->prestaties[i];
        }
    } else if (strcmp(code, "0582") == 0) {
        pr = NULL;
    } else if (strcmp(code, "9104") == 0 && m > 1) {
        from = ymd(g->year, m - 1, days_in_month(g->year, m - 1) - 6);
        to = ymd(g->year, m, 2);
    }
    if (!pr && strcmp(code, "0582") != 0)
        return;
    demo_line *l = emit(g, p, m, seq);
    set_debit(l, pr, rs->providers[p].rate_bp, bsn, from, to, 180, 0);
    l->amount_cents = 0;
    l->reject = code;
}

/** For every designation of @a p that ends within the year: one line after its end (8022). */
static void plant_after_designation(generator *g, size_t p, int m, const trajectory *ts,
                                    size_t n_ts, int *seq)
{
    const refset *rs = g->rs;
    for (size_t i = 0; i < rs->n_designations; i++) {
        const designation_row *d = &rs->designations[i];
        if (strcmp(d->agb, rs->providers[p].agb) != 0 || d->to / 10000 != g->year ||
            d->to / 100 % 100 + 1 != m)
            continue;
        const trajectory *t = NULL;
        for (size_t k = 0; k < n_ts; k++)
            if (strcmp(ts[k].group, d->group) == 0)
                t = &ts[k];
        if (!t)
            continue;
        demo_line *l = emit(g, p, m, seq);
        set_debit(l, t->time, rs->providers[p].rate_bp, t->bsn, ymd(g->year, m, 5),
                  ymd(g->year, m, 19), 120, 0);
        l->amount_cents = 0;
        l->reject = "8022";
    }
}

/** Generates one provider's whole year; writes lines for months up to --through-month. */
static void generate_provider(generator *g, size_t p)
{
    const provider_row *prov = &g->rs->providers[p];
    const provider_plan *plan = &g->plans[p];
    provider_group pg[8];
    size_t n_pg = provider_groups(g, prov->agb, pg, 8), n_ts = 0;
    if (n_pg == 0 || prov->rate_bp == 0) {
        fprintf(stderr, "lvhcmon-demogen: provider %s skipped (no C&A designation or no %d rate)\n",
                prov->agb, g->year);
        return;
    }
    rng r = rng_for(g->seed, prov->agb);
    rng events = rng_for(g->seed ^ UINT64_C(0x5EED), prov->agb);
    trajectory *ts = plan_trajectories(g, &r, plan->size, pg, n_pg, &n_ts);
    for (int m = 1; m <= MAX_MONTHS; m++) {
        int seq = 0;
        bool emit_lines = m <= g->through_month && m <= plan->stop_after;
        for (size_t i = 0; i < n_ts; i++)
            if (group_active(pg, n_pg, &ts[i], m))
                client_month(g, &r, p, &ts[i], m, emit_lines, &seq);
        if (!emit_lines)
            continue;
        if (plan->correction_month == m)
            plant_correction(g, p, m, &seq);
        if (plan->bad_code && plan->bad_month == m)
            plant_rejection(g, &events, p, m, plan->bad_code, pg, n_pg, ts, n_ts, &seq);
        plant_after_designation(g, p, m, ts, n_ts, &seq);
    }
    free(ts);
}

/* ---- The plan: who stops, who corrects, who sends which bad line, and when ---- */

static bool has_designation(const refset *rs, const char *agb, const char *group)
{
    for (size_t i = 0; i < rs->n_designations; i++)
        if (strcmp(rs->designations[i].agb, agb) == 0 &&
            strcmp(rs->designations[i].group, group) == 0)
            return true;
    return false;
}

static bool designation_ends_in(const refset *rs, const char *agb, int year)
{
    for (size_t i = 0; i < rs->n_designations; i++)
        if (strcmp(rs->designations[i].agb, agb) == 0 && rs->designations[i].to / 10000 == year)
            return true;
    return false;
}

/** @return the last day of @a month of the generator's year. */
static int month_end(const generator *g, int month)
{
    return ymd(g->year, month, days_in_month(g->year, month));
}

/**
 * When each invoice arrives. The late and catching-up roles go, in the shuffled @a order,
 * to providers without another role (so no planted effect hides another); every provider
 * then draws its habit and, per month, a working day of its window from a stream of its
 * own, all twelve months whatever --through-month is.
 */
static void plan_arrivals(generator *g, const size_t *order)
{
    const refset *rs = g->rs;
    for (int m = 1; m <= MAX_MONTHS; m++)
        g->deadline[m] = add_working_days(rs, month_end(g, m), g->working_days);
    size_t late = 0;
    bool catch_up = false;
    for (size_t i = 0; i < rs->n_providers && !catch_up; i++) {
        provider_plan *pl = &g->plans[order[i]];
        if (pl->stop_after < MAX_MONTHS || pl->correction_month || pl->bad_code ||
            designation_ends_in(rs, rs->providers[order[i]].agb, g->year))
            continue;
        if (late < N_LATE)
            pl->late_month = late_month[late++];
        else
            pl->catch_up = catch_up = true;
    }
    for (size_t p = 0; p < rs->n_providers; p++) {
        provider_plan *pl = &g->plans[p];
        rng r = rng_for(g->seed ^ UINT64_C(0xA221), rs->providers[p].agb);
        int habit = rng_range(&r, 0, 2); /* early, in the middle, near the deadline */
        static const int first[] = {1, 4, 10}, last[] = {5, 12, 17};
        for (int m = 1; m <= MAX_MONTHS; m++) {
            int lo = first[habit],
                hi = last[habit] < g->working_days ? last[habit] : g->working_days;
            int k = rng_range(&r, lo < hi ? lo : hi, hi);
            int late_days = rng_range(&r, LATE_MIN_DAYS, LATE_MAX_DAYS);
            pl->arrival[m] = add_working_days(rs, month_end(g, m), k);
            if (pl->late_month == m)
                pl->arrival[m] = add_working_days(rs, g->deadline[m], late_days);
            if (pl->catch_up && m >= CATCH_UP_FIRST && m <= CATCH_UP_LAST)
                pl->arrival[m] = add_working_days(rs, g->deadline[CATCH_UP_LAST], CATCH_UP_DAYS);
        }
    }
}

/**
 * Shuffles the providers with the plan stream and hands out the roles in order, each
 * provider at most one role, so the planted effects do not hide each other (a stopper never
 * carries a correction, a provider whose designation ends keeps declaring).
 */
static void make_plan(generator *g)
{
    const refset *rs = g->rs;
    size_t n = rs->n_providers;
    static const char *const bad_codes[] = {"0435", "0582", "9104"};
    static const int bad_months[] = {2, 5, 7};
    size_t *order = xrealloc(NULL, n, sizeof *order);
    rng r = rng_for(g->seed, "plan");
    g->plans = xrealloc(NULL, n ? n : 1, sizeof *g->plans);
    for (size_t i = 0; i < n; i++) {
        order[i] = i;
        g->plans[i] = (provider_plan){.stop_after = MAX_MONTHS};
    }
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(rng_next(&r) % i), tmp = order[i - 1];
        order[i - 1] = order[j];
        order[j] = tmp;
    }
    /* Sizes spread evenly over [MIN, MAX] in shuffled order: small and large providers,
     * but the same national volume whatever the seed. */
    for (size_t i = 0; i < n; i++)
        g->plans[order[i]].size =
            TRAJ_PER_PROVIDER_MIN +
            (n > 1 ? i * (TRAJ_PER_PROVIDER_MAX - TRAJ_PER_PROVIDER_MIN) / (n - 1) : 0);
    bool lbs_done = false;
    for (size_t i = 0; i < n && !lbs_done; i++) {
        const group_row *grp = NULL;
        for (size_t k = 0; k < rs->n_groups && !grp; k++)
            if (rs->groups[k].ca_from == 0 &&
                has_designation(rs, rs->providers[order[i]].agb, rs->groups[k].code))
                grp = &rs->groups[k];
        if (grp) {
            g->plans[order[i]].bad_code = "9101";
            g->plans[order[i]].bad_month = 3;
            lbs_done = true;
        }
    }
    size_t role = 0;
    for (size_t i = 0; i < n; i++) {
        provider_plan *pl = &g->plans[order[i]];
        if (pl->bad_code || designation_ends_in(rs, rs->providers[order[i]].agb, g->year))
            continue;
        if (role < N_STOPPERS)
            pl->stop_after = stop_after_month[role];
        else if (role < N_STOPPERS + N_CORRECTIONS)
            pl->correction_month = correction_month[role - N_STOPPERS];
        else if (role < N_STOPPERS + N_CORRECTIONS + 3) {
            pl->bad_code = bad_codes[role - N_STOPPERS - N_CORRECTIONS];
            pl->bad_month = bad_months[role - N_STOPPERS - N_CORRECTIONS];
        } else if (!lbs_done) {
            pl->bad_code = "9101";
            pl->bad_month = 3;
            lbs_done = true;
        }
        role++;
    }
    plan_arrivals(g, order);
    free(order);
}

/* ---- Output ---- */

static const char *const csv_header = "provider_agb,reference,line_ref,client_bsn,prestatie,"
                                      "date_from,date_to,minutes,travel_cents,debit_credit,"
                                      "corrects_ref";

static int arrival_of(const generator *g, const demo_line *l)
{
    return g->plans[l->provider].arrival[l->month];
}

static void write_line(FILE *out, const generator *g, const demo_line *l)
{
    char from[DATE_BUF], to[DATE_BUF];
    format_date(l->date_from, from);
    format_date(l->date_to, to);
    fprintf(out, "%s,%04d-%02d,%s,%s,%s,%s,%s,%" PRId64 ",%" PRId64 ",%c,%s\n",
            g->rs->providers[l->provider].agb, g->year, l->month, l->line_ref, l->bsn,
            l->prestatie ? l->prestatie->code : UNKNOWN_PRESTATIE, from, to, l->quantity,
            l->travel_cents, l->debit_credit, l->corrects_ref);
}

/** Writes DIR/declarations-YYYY-MM-DD.csv of the invoices arriving on @a day; each
 *  invoice's lines stay together, in provider order. */
static void write_arrivals(const generator *g, const char *dir, int day)
{
    char path[4096], date[DATE_BUF];
    format_date(day, date);
    snprintf(path, sizeof path, "%s/declarations-%s.csv", dir, date);
    FILE *out = fopen(path, "w");
    if (!out)
        die("cannot write", path);
    fprintf(out, "%s\n", csv_header);
    for (size_t i = 0; i < g->lines.n; i++)
        if (arrival_of(g, &g->lines.items[i]) == day)
            write_line(out, g, &g->lines.items[i]);
    if (fclose(out) != 0)
        die("cannot write", path);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/** Writes one file per arrival day, in date order. */
static void write_files(const generator *g, const char *dir)
{
    int *days = xrealloc(NULL, g->lines.n ? g->lines.n : 1, sizeof *days);
    size_t n = 0;
    for (size_t i = 0; i < g->lines.n; i++)
        days[n++] = arrival_of(g, &g->lines.items[i]);
    qsort(days, n, sizeof *days, cmp_int);
    for (size_t i = 0; i < n; i++)
        if (i == 0 || days[i] != days[i - 1])
            write_arrivals(g, dir, days[i]);
    free(days);
}

typedef struct {
    size_t lines, rejected, credits, providers_last_month;
    int64_t total, time, travel;
    int64_t month[MAX_MONTHS + 1];
} totals;

static totals summarize(const generator *g)
{
    totals t = {0};
    bool *seen = calloc(g->rs->n_providers ? g->rs->n_providers : 1, 1);
    if (!seen)
        die("out of memory", NULL);
    for (size_t i = 0; i < g->lines.n; i++) {
        const demo_line *l = &g->lines.items[i];
        t.lines++;
        t.rejected += l->reject != NULL;
        t.credits += l->debit_credit == 'C';
        t.total += l->amount_cents;
        t.month[l->month] += l->amount_cents;
        int64_t travel =
            l->prestatie && l->prestatie->kind != KIND_TIME
                ? l->amount_cents
                : (l->reject ? 0 : (l->debit_credit == 'C' ? -1 : 1) * l->travel_cents);
        t.travel += travel;
        t.time += l->amount_cents - travel;
        if (l->month == g->through_month && !seen[l->provider]) {
            seen[l->provider] = true;
            t.providers_last_month++;
        }
    }
    free(seen);
    return t;
}

static int64_t group_total(const generator *g, const char *group)
{
    int64_t sum = 0;
    for (size_t i = 0; i < g->lines.n; i++)
        if (g->lines.items[i].group && strcmp(g->lines.items[i].group, group) == 0)
            sum += g->lines.items[i].amount_cents;
    return sum;
}

/** expected.txt: what the monitor should report, for tests and the demo script. */
static void write_expected(const generator *g, const char *dir, const totals *t)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/expected.txt", dir);
    FILE *out = fopen(path, "w");
    if (!out)
        die("cannot write", path);
    fprintf(out, "# lvhcmon-demogen: expected outcome of the demo files (amounts in cents)\n");
    fprintf(out, "seed=%" PRIu64 "\nyear=%d\nthrough_month=%d\nproviders=%zu\n", g->seed, g->year,
            g->through_month, g->rs->n_providers);
    fprintf(out, "lines=%zu\nlines_rejected=%zu\ncredits=%zu\n", t->lines, t->rejected, t->credits);
    fprintf(out,
            "expected_cents=%" PRId64 "\nexpected_time_cents=%" PRId64
            "\nexpected_travel_cents=%" PRId64 "\n",
            t->total, t->time, t->travel);
    for (int m = 1; m <= g->through_month; m++)
        fprintf(out, "month.%04d-%02d=%" PRId64 "\n", g->year, m, t->month[m]);
    for (size_t i = 0; i < g->rs->n_groups; i++)
        fprintf(out, "group.%s=%" PRId64 "\n", g->rs->groups[i].code,
                group_total(g, g->rs->groups[i].code));
    for (size_t i = 0; i < g->rs->n_providers; i++)
        if (g->plans[i].stop_after < g->through_month)
            fprintf(out, "stopped.%s=%04d-%02d\n", g->rs->providers[i].agb, g->year,
                    g->plans[i].stop_after);
    for (size_t i = 0; i < g->lines.n; i++) {
        const demo_line *l = &g->lines.items[i];
        const char *agb = g->rs->providers[l->provider].agb;
        if (l->reject)
            fprintf(out, "reject.%s.%s=%s\n", agb, l->line_ref, l->reject);
        if (l->debit_credit == 'C')
            fprintf(out, "correction.%s.%s=%s\n", agb, l->line_ref, l->corrects_ref);
    }
    char date[DATE_BUF];
    for (int m = 1; m <= g->through_month; m++) {
        format_date(g->deadline[m], date);
        fprintf(out, "deadline.%04d-%02d=%s\n", g->year, m, date);
    }
    /* every invoice written, when it arrives, and which of them are late */
    for (size_t p = 0; p < g->rs->n_providers; p++) {
        const provider_plan *pl = &g->plans[p];
        const char *agb = g->rs->providers[p].agb;
        bool any = false;
        for (size_t i = 0; i < g->lines.n && !any; i++)
            any = g->lines.items[i].provider == p;
        for (int m = 1; any && m <= g->through_month && m <= pl->stop_after; m++) {
            format_date(pl->arrival[m], date);
            fprintf(out, "arrival.%s.%04d-%02d=%s\n", agb, g->year, m, date);
            if (pl->arrival[m] > g->deadline[m])
                fprintf(out, "late.%s.%04d-%02d=%s\n", agb, g->year, m, date);
        }
        if (pl->catch_up && any && g->through_month >= CATCH_UP_LAST) {
            format_date(pl->arrival[CATCH_UP_LAST], date);
            fprintf(out, "catch_up.%s=%04d-%02d..%04d-%02d@%s\n", agb, g->year, CATCH_UP_FIRST,
                    g->year, CATCH_UP_LAST, date);
        }
    }
    if (fclose(out) != 0)
        die("cannot write", path);
}

static void print_summary(const generator *g, const totals *t)
{
    fprintf(stderr,
            "lvhcmon-demogen: seed %" PRIu64 ", %d-01..%d-%02d: %zu providers (%zu declare the "
            "last month)\n"
            "  lines %zu (credits %zu, planted rejections %zu)\n"
            "  expected priced total %" PRId64 " cents (time %" PRId64 ", travel %" PRId64 ")\n",
            g->seed, g->year, g->year, g->through_month, g->rs->n_providers,
            t->providers_last_month, t->lines, t->credits, t->rejected, t->total, t->time,
            t->travel);
    for (int m = 1; m <= g->through_month; m++)
        fprintf(stderr, "  %04d-%02d %12" PRId64 "\n", g->year, m, t->month[m]);
}

/* ---- Command line ---- */

typedef struct {
    const char *reference_dir, *out_dir;
    uint64_t seed;
    int year, through_month, working_days;
} options;

static void usage(FILE *to)
{
    fprintf(to, "usage: lvhcmon-demogen --reference DIR --out DIR [--seed N] [--year YYYY] "
                "[--through-month M] [--deadline-working-days N]\n"
                "  writes the invoices of months 1..M (default 2026, 10, seed 1, 17 working days)\n"
                "  as DIR/declarations-YYYY-MM-DD.csv, one file per day of arrival, and\n"
                "  DIR/expected.txt; prints the expected priced total on stderr\n");
}

static long parse_number(const char *text, long lo, long hi, const char *what)
{
    char *end;
    errno = 0;
    long v = strtol(text ? text : "", &end, 10);
    if (!text || !*text || *end || errno || v < lo || v > hi) {
        fprintf(stderr, "lvhcmon-demogen: invalid %s '%s'\n", what, text ? text : "");
        usage(stderr);
        exit(2);
    }
    return v;
}

static options parse_options(int argc, char **argv)
{
    options o = {NULL, NULL, 1, 2026, 10, DEADLINE_WORKING_DAYS};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(0);
        } else if (strcmp(a, "--reference") == 0 && v) {
            o.reference_dir = argv[++i];
        } else if (strcmp(a, "--out") == 0 && v) {
            o.out_dir = argv[++i];
        } else if (strcmp(a, "--seed") == 0) {
            o.seed = (uint64_t)parse_number(v, 0, 2147483647L, "seed");
            i++;
        } else if (strcmp(a, "--year") == 0) {
            o.year = (int)parse_number(v, 2000, 2100, "year");
            i++;
        } else if (strcmp(a, "--through-month") == 0) {
            o.through_month = (int)parse_number(v, 1, 12, "month");
            i++;
        } else if (strcmp(a, "--deadline-working-days") == 0) {
            o.working_days = (int)parse_number(v, 1, 60, "working days");
            i++;
        } else {
            fprintf(stderr, "lvhcmon-demogen: unexpected argument '%s'\n", a);
            usage(stderr);
            exit(2);
        }
    }
    if (!o.reference_dir || !o.out_dir) {
        usage(stderr);
        exit(2);
    }
    return o;
}

static void load_reference(refset *rs, const char *dir, int year)
{
    load_groups(rs, dir);
    load_prestaties(rs, dir, year);
    load_providers(rs, dir);
    load_rates(rs, dir, year);
    load_designations(rs, dir);
    load_holidays(rs, dir);
    if (rs->unknown_code_exists)
        die("the planted unknown prestatie code exists in prestaties.csv", UNKNOWN_PRESTATIE);
    if (rs->n_prestaties == 0)
        die("prestaties.csv has no rows for the demo year", NULL);
}

static void free_reference(refset *rs)
{
    free(rs->groups);
    free(rs->prestaties);
    free(rs->providers);
    free(rs->designations);
    free(rs->holidays);
}

int main(int argc, char **argv)
{
    options o = parse_options(argc, argv);
    refset rs = {0};
    load_reference(&rs, o.reference_dir, o.year);
    if (mkdir(o.out_dir, 0777) != 0 && errno != EEXIST)
        die("cannot create output directory", o.out_dir);

    generator g = {.rs = &rs,
                   .year = o.year,
                   .through_month = o.through_month,
                   .working_days = o.working_days,
                   .seed = o.seed};
    make_plan(&g);
    for (size_t p = 0; p < rs.n_providers; p++)
        generate_provider(&g, p);
    write_files(&g, o.out_dir);

    totals t = summarize(&g);
    write_expected(&g, o.out_dir, &t);
    print_summary(&g, &t);
    free(g.lines.items);
    free(g.plans);
    free_reference(&rs);
    return 0;
}
