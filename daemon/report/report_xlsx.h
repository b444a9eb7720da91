/*
 * report_xlsx.h: the controllers' month-end workbook (GET /api/v1/report.xlsx,
 * `lvhcmon report`), written with libxlsxwriter.
 *
 * The workbook is built from the very structs the API's documents are serialised from (a
 * snapshot as of a day: snapshot.h, snapshot_asof.h) and from the alert conditions the
 * rules give on them (alert_rules.h), never from the JSON and never from its own queries,
 * so a cell and the API's figure for the same day cannot disagree. Its users are Dutch:
 * sheet names, column names and texts are Dutch. Six sheets:
 *
 *   Samenvatting    the year's totals against the cap, the profile, the forecast, the date
 *                   the figures hold for ("Stand per") and when the workbook was made
 *   Maanden         one row per month
 *   Doelgroepen     one row per target group of the contract, in its order
 *   Zorgkantoren    one row per zorgkantoor: spend, share of the national spend, providers
 *   Zorgaanbieders  one row per provider: spend, last month declared, missing months
 *   Meldingen       the alerts the rules fire on these figures, with their Dutch texts
 *
 * Money is written as a number of euros (cents / 100, the only place money becomes a
 * floating-point number: a cell of Excel has no other kind) in the euro format
 * REPORT_EURO_FORMAT; shares as numbers in a percent format; days as real dates in
 * "dd-mm-yyyy", months as dates (the first day) in "mmmm yyyy", times as Amsterdam's local
 * time. Every sheet has its header row frozen and widths that fit its content.
 * Aggregates only: no declaration line, client hash or BSN is ever in the workbook.
 *
 * The workbook goes to a file (libxlsxwriter 1.1 has no memory target): report_xlsx_write()
 * writes it where the caller says; report_xlsx_bytes_new() writes it to a temporary file
 * that it always removes again and returns its bytes.
 */
#ifndef LVHCMON_REPORT_XLSX_H
#define LVHCMON_REPORT_XLSX_H

#include <stddef.h>
#include <time.h>

#include "alert_rules.h"
#include "config_parse.h"
#include "error.h"
#include "snapshot/snapshot.h"

/** The number format of money cells: the euro sign and two decimals, Dutch (LCID 413). */
#define REPORT_EURO_FORMAT "[$\u20ac-413] #,##0.00;[$\u20ac-413] -#,##0.00"

/** The content type of a workbook. */
#define REPORT_XLSX_CONTENT_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/** What one workbook shows. */
typedef struct {
    const snapshot *snap;              /* the figures, as of snap->as_of */
    const alert_condition_set *alerts; /* the rules on those figures (firing ones are listed) */
    time_t generated_at;               /* when the workbook is made */
} report_input;

/**
 * The alert conditions of @a snap's figures under the rule settings of @a cfg (the same
 * the alert engine uses).
 * @return a set owned by the caller (alert_condition_set_free()), or NULL when out of memory
 */
alert_condition_set *report_alerts_new(const snapshot *snap, const lv_config *cfg);

/**
 * Writes the workbook to @a path (created or replaced).
 * @param tmpdir where libxlsxwriter keeps its own temporary files (NULL: the system's)
 * @param err receives why not (may be NULL): code report_failed with libxlsxwriter's reason
 * @return true when the file was written and closed
 */
bool report_xlsx_write(const report_input *in, const char *path, const char *tmpdir, lv_error *err);

/**
 * Writes the workbook into a new file in @a tmpdir, reads it back and removes it, whatever
 * happened.
 * @param len receives the number of bytes
 * @return the workbook's bytes (malloc'ed; the caller frees), or NULL with @a err set
 */
char *report_xlsx_bytes_new(const report_input *in, const char *tmpdir, size_t *len, lv_error *err);

/**
 * The file name a download suggests: "lvhcmon-2026-stand-2026-10-31.xlsx".
 * @param buf at least 48 bytes
 */
void report_file_name(const snapshot *snap, char buf[48]);

#endif
