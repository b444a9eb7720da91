/*
 * declaration.h: the in-memory shape of a declaration submission, shared by the three
 * parsers (AW319, CSV, JSON), validation and pricing. A submission is one invoice of one
 * provider, identified by (provider_agb, reference); a line by (provider_agb, line_ref).
 *
 * Ownership: decl_submission_new() returns a submission the caller owns; release it with
 * decl_submission_free(). Lines live in the submission's array and are freed with it.
 * The clear BSN lives only here, in memory, for the duration of one ingest: the daemon
 * replaces it by its keyed hash before anything is stored or logged.
 */
#ifndef LVHCMON_DECLARATION_H
#define LVHCMON_DECLARATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar.h"

#define DECL_AGB_LEN 8
#define DECL_REF_MAX 20 /* AW319 line references are AN20 */
#define DECL_BSN_LEN 9
#define DECL_PRESTATIE_MAX 5 /* AW319 prestatiecode is AN5 */
#define DECL_ZORGKANTOOR_LEN 4
#define DECL_UNIT_LEN 2

/** Where a submission came from; decides which fields are present. */
typedef enum { DECL_SOURCE_JSON = 0, DECL_SOURCE_CSV, DECL_SOURCE_AW319 } decl_source;

/** One service line, as declared (before validation and pricing). */
typedef struct {
    int source_line_no; /* 1-based line/record/array index in the input */
    char line_ref[DECL_REF_MAX + 1];
    char client_bsn[DECL_BSN_LEN + 1]; /* clear, in memory only; "" when absent */
    char prestatie[DECL_PRESTATIE_MAX + 1];
    lv_date date_from;
    lv_date date_to;
    int64_t quantity;                    /* minutes (time) or units (travel), after unit map */
    char time_unit[DECL_UNIT_LEN + 1];   /* AW319 unit code as declared; "" = minutes */
    int64_t quantity_declared;           /* AW319 quantity before the unit mapping */
    int64_t travel_cents;                /* travel declared as an amount on a time line */
    char debit_credit;                   /* 'D' or 'C'; 0 when missing */
    char corrects_ref[DECL_REF_MAX + 1]; /* "" = none */
    bool has_declared_amount;            /* AW319 carries the provider's own amount */
    int64_t declared_cents;              /* signed: negative for a credit */
    int64_t declared_tariff_cents;       /* AW319 tariff incl. VAT; 0 when absent */
    /* A field whose value could not be read although the line's structure was sound
     * (a date that does not exist, text in a quantity): the parser records the first one
     * here and validation rejects the line with it, so the line is still kept. */
    int parse_code; /* an lv_code; 0 (LV_OK) when clean */
    char parse_field[32];
    char parse_value[24]; /* the value read, quoted for a reason (decl_line_set_defect_value);
                             a BSN only as '*' per character */
} decl_line;

/** One submission: header plus lines. */
typedef struct {
    decl_source source;
    char provider_agb[DECL_AGB_LEN + 1];
    char reference[DECL_REF_MAX + 1];
    char zorgkantoor[DECL_ZORGKANTOOR_LEN + 1]; /* AW319 header; "" when not given */
    lv_date period_from;                        /* AW319 header; LV_DATE_NONE when not given */
    lv_date period_to;
    decl_line *lines;
    size_t n_lines;
    size_t cap_lines;
} decl_submission;

/** @return a new empty submission owned by the caller, or NULL when out of memory. */
decl_submission *decl_submission_new(decl_source source);

/** Releases a submission and its lines. Accepts NULL. Wipes clear BSNs before freeing. */
void decl_submission_free(decl_submission *sub);

/**
 * Appends a zeroed line (date fields set to LV_DATE_NONE).
 * @return the new line, owned by @a sub, or NULL when out of memory. The pointer is valid
 *         until the next append.
 */
decl_line *decl_submission_add_line(decl_submission *sub);

/**
 * Records a value defect of @a line (see parse_code): the first defect wins and later ones
 * are ignored, so the line is rejected for what a reader meets first, left to right.
 * @param code   an lv_code (kept as int so this header need not include codes.h)
 * @param field  the field's name as the format calls it; cut to fit parse_field
 */
void decl_line_set_defect(decl_line *line, int code, const char *field);

/**
 * decl_line_set_defect() that also keeps the value found, for the line's reason: quoted
 * (bytes outside printable ASCII become '?', a long value is cut with "..."), and for
 * client_bsn masked, one '*' per byte, so a BSN never reaches a reason.
 * @param value  the bytes read (need not be NUL-terminated); @a len of them
 */
void decl_line_set_defect_value(decl_line *line, int code, const char *field, const char *value,
                                size_t len);

/** Overwrites every clear BSN in @a sub with zeros (after hashing, before storing). */
void decl_submission_wipe_bsns(decl_submission *sub);

#endif
