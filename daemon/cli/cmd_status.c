/*
 * cmd_status.c: `lvhcmon status [--year Y] [--json]`: the budget status of a year.
 *
 * The figures come from snapshot_build(), the same code the daemon answers
 * GET /api/v1/status from, run here on the command line's own connection; --json prints
 * exactly that document. Without it the status is printed as tables for a terminal:
 * the totals against the cap and its profile, the forecast with its range and the date
 * the cap would be reached, then one line per target group and one per month.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "snapshot/snapshot.h"

/* "1234567.89" -> "1,234,567.89" into @a out (at least 32 bytes). */
static const char *eur(money_cents cents, char out[32])
{
    char plain[24];
    money_format(cents, plain);
    const char *digits = plain[0] == '-' ? plain + 1 : plain;
    size_t int_len = strcspn(digits, ".");
    size_t o = 0;
    if (plain[0] == '-')
        out[o++] = '-';
    for (size_t i = 0; i < int_len; i++) {
        if (i > 0 && (int_len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    snprintf(out + o, 32 - o, "%s", digits + int_len);
    return out;
}

static const char *iso_date(lv_date d, char out[11])
{
    if (d == LV_DATE_NONE)
        snprintf(out, 11, "-");
    else
        lv_date_format_iso(d, out);
    return out;
}

static void print_table(const snapshot *s)
{
    const budget_status *st = s->status;
    const forecast_result *f = &s->forecast;
    char a[32], b[32], c[32], d1[11], d2[11], t1[21], t2[21];
    snapshot_format_time(s->generated_at, t1);
    if (s->data_as_of > 0)
        snapshot_format_time(s->data_as_of, t2);
    else
        snprintf(t2, sizeof t2, "no submissions");
    printf("Budget status %d  (generated %s; data as of %s)\n\n", st->year, t1, t2);
    printf("  %-22s %18s EUR%s\n", "Cap", eur(st->cap_cents, a),
           s->cap_from_budget ? "" : "  (no cap in the budget table: fallback)");
    printf("  %-22s %18s EUR  %6.2f %%\n", "Spent", eur(st->spent_cents, a),
           st->spent_ratio * 100.0);
    printf("  %-22s %18s EUR\n", "Remaining", eur(st->remaining_cents, a));
    if (st->complete_months > 0)
        printf("  %-22s %18s EUR  through %s (%d complete month%s; spent in them %s EUR)\n",
               "Profile to date", eur(st->profile_ytd_cents, a), iso_date(st->profile_through, d1),
               st->complete_months, st->complete_months == 1 ? "" : "s",
               eur(st->spent_complete_cents, b));
    else
        printf("  %-22s %18s EUR  (no complete month yet)\n", "Profile to date",
               eur(st->profile_ytd_cents, a));
    printf("  %-22s %18s EUR  range %s .. %s EUR\n", "Forecast year end", eur(f->year_end_cents, a),
           eur(f->low_cents, b), eur(f->high_cents, c));
    if (f->cap_reached_on != LV_DATE_NONE)
        printf("  %-22s %18s      (earliest %s, latest %s)\n", "Cap reached on",
               iso_date(f->cap_reached_on, d1), iso_date(f->cap_reached_earliest, d2),
               f->cap_reached_latest != LV_DATE_NONE ? iso_date(f->cap_reached_latest, t1)
                                                     : "not within the year");
    else if (f->cap_reached_earliest != LV_DATE_NONE)
        printf("  %-22s %18s      (earliest %s)\n", "Cap reached on", "not within the year",
               iso_date(f->cap_reached_earliest, d2));
    else
        printf("  %-22s %18s\n", "Cap reached on", "not within the year");
    printf("  %-22s %s\n", "Forecast method", f->method ? f->method : "");
    printf("  %-22s %18lld\n", "Minutes", (long long)st->minutes);
    printf("  %-22s %18s EUR\n", "Travel (included)", eur(st->travel_cents, a));
    printf("  %-22s %18d\n", "Alerts firing", s->alerts_firing);
    for (size_t i = 0; i < st->n_extra_caps; i++) {
        const budget_extra_cap_status *x = &st->extra_caps[i];
        char label[64];
        snprintf(label, sizeof label, "Extra cap %s %s",
                 x->scope == BUDGET_SCOPE_PROVIDER ? "provider" : "group", x->key);
        printf("  %-22s %18s EUR  of %s EUR (%.2f %%)\n", label, eur(x->spent_cents, a),
               eur(x->cap_cents, b), x->ratio * 100.0);
    }

    printf("\n  %-6s %-42s %18s %8s %10s\n", "Group", "Name", "Spent EUR", "Share", "Minutes");
    for (size_t i = 0; i < st->n_groups; i++) {
        const budget_group *g = &st->groups[i];
        printf("  %-6s %-42.42s %18s %7.2f%% %10lld%s\n", g->code, g->name, eur(g->spent_cents, a),
               g->share_ratio * 100.0, (long long)g->minutes,
               g->in_contract ? "" : "  (not in the contract)");
    }

    printf("\n  %-7s %18s %18s %10s %9s %8s %-10s %s\n", "Month", "Spent EUR", "Cumulative EUR",
           "Minutes", "Providers", "Missing", "Deadline", "Complete");
    for (int m = 0; m < BUDGET_MONTHS; m++) {
        const budget_month *bm = &st->months[m];
        char ratio[16];
        snprintf(ratio, sizeof ratio, "%d/%d", bm->providers_declared, bm->providers_expected);
        printf("  %04d-%02d %18s %18s %10lld %9s %8d %-10s %s\n", st->year, bm->month,
               eur(bm->spent_cents, a), eur(bm->cumulative_cents, b), (long long)bm->minutes, ratio,
               bm->providers_missing, iso_date(bm->deadline, d1), bm->complete ? "yes" : "no");
    }
}

int cmd_status(cli_context *cli, int argc, char **argv)
{
    const char *year_text = NULL;
    bool json = false;
    const cli_option options[] = {
        {"--year", &year_text, NULL},
        {"--json", NULL, &json},
        {NULL, NULL, NULL},
    };
    char *positional[1];
    int n_positional;
    int rc = cli_parse_options("status", argc - 1, argv + 1, options, positional, 0, &n_positional);
    if (rc != CLI_EXIT_OK)
        return rc;
    const lv_config *cfg = cli_config(cli);
    if (cfg == NULL)
        return CLI_EXIT_FAIL;
    int year = snapshot_current_year(cfg);
    rc = cli_year_option("status", year_text, &year);
    if (rc != CLI_EXIT_OK)
        return rc;
    db_conn *db = cli_db(cli, false);
    if (db == NULL)
        return CLI_EXIT_FAIL;
    lv_error err;
    snapshot *snap = snapshot_build(db, cfg, year, time(NULL), &err);
    if (snap == NULL) {
        cli_print_error("status", &err);
        return CLI_EXIT_FAIL;
    }
    if (json)
        printf("%s\n", snap->status_doc.body);
    else
        print_table(snap);
    snapshot_release(snap);
    return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}
