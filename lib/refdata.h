/*
 * refdata.h: reference data as validation sees it: target groups, prestaties and tariffs
 * per year, providers, designations, rates, time units and holidays. Pure data, filled by
 * the daemon from the database (or by tests from tables); lookups are linear or binary
 * searches over small arrays and never allocate.
 *
 * Ownership: refdata_new() returns an empty set the caller owns, refdata_free() releases
 * it with everything added through the refdata_add_* functions (which copy their strings).
 */
#ifndef LVHCMON_REFDATA_H
#define LVHCMON_REFDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar.h"

typedef enum { PRESTATIE_TIME = 0, PRESTATIE_TRAVEL } prestatie_kind;
typedef enum { PRESTATIE_UNIT_HOUR = 0, PRESTATIE_UNIT_TRIP, PRESTATIE_UNIT_KM } prestatie_unit;
typedef enum { CENTRE_REC = 0, CENTRE_DEC } centre_kind;

typedef struct {
    char code[8]; /* KOR, HUN, GPP, DZEP, NAHP, MSP, LBS */
    char name[96];
    lv_date ca_from; /* LV_DATE_NONE: the group has no C&A at all (LBS) */
    lv_date ca_to;   /* LV_DATE_NONE: open */
    int order;       /* position in the contract's order (0-based) */
} ref_target_group;

typedef struct {
    int year;
    char code[8];
    char target_group[8];
    prestatie_kind kind;
    prestatie_unit unit;
    int64_t tariff_cents; /* per hour for time, per trip or km for travel */
    bool rate_applies;
} ref_prestatie;

typedef struct {
    char agb[9];
    char name[128];
    char zorgkantoor[5];
} ref_provider;

typedef struct {
    char agb[9];
    char target_group[8];
    centre_kind kind;
    lv_date valid_from;
    lv_date valid_to; /* LV_DATE_NONE: open */
} ref_designation;

typedef struct {
    char agb[9];
    int year;
    int32_t rate_bp; /* 9550 = 95.50 % */
} ref_rate;

typedef struct {
    char code[3];    /* AW319 time unit, "01" */
    int32_t minutes; /* minutes per declared unit */
} ref_time_unit;

typedef struct refdata refdata;

/** @return a new empty set owned by the caller (refdata_free), or NULL when out of memory. */
refdata *refdata_new(void);
/** Releases @a rd and every record added to it. Accepts NULL. */
void refdata_free(refdata *rd);

/*
 * Adders copy their argument. @return false when out of memory, or when the record is
 * unusable: a string field not NUL-terminated inside its array, an empty code or AGB, a
 * negative tariff or rate, a time unit of zero minutes, a holiday of LV_DATE_NONE.
 */
bool refdata_add_target_group(refdata *rd, const ref_target_group *g);
bool refdata_add_prestatie(refdata *rd, const ref_prestatie *p);
bool refdata_add_provider(refdata *rd, const ref_provider *p);
bool refdata_add_designation(refdata *rd, const ref_designation *d);
bool refdata_add_rate(refdata *rd, const ref_rate *r);
bool refdata_add_time_unit(refdata *rd, const ref_time_unit *u);
bool refdata_add_holiday(refdata *rd, lv_date day);
/**
 * Sorts holidays ascending (dropping repeats) and target groups by their contract order
 * (ties by code); call once after the last add. refdata_holidays() and
 * refdata_target_group_at() rely on it.
 */
void refdata_seal(refdata *rd);

/* Lookups return pointers into @a rd, valid until the next add or refdata_free();
 * NULL when nothing matches (or the key is NULL). */

/** @return the target group with @a code, or NULL. */
const ref_target_group *refdata_target_group(const refdata *rd, const char *code);
/** @return prestatie @a code as defined for @a year, or NULL. */
const ref_prestatie *refdata_prestatie(const refdata *rd, int year, const char *code);
/** @return true when any year knows @a code (to tell 0581 from 0582). */
bool refdata_prestatie_known_any_year(const refdata *rd, const char *code);
/** @return the provider with AGB code @a agb, or NULL. */
const ref_provider *refdata_provider(const refdata *rd, const char *agb);
/**
 * @return the designation of @a agb for @a group covering @a day (valid_from and valid_to
 *         inclusive; LV_DATE_NONE leaves that end open), or NULL.
 */
const ref_designation *refdata_designation(const refdata *rd, const char *agb, const char *group,
                                           lv_date day);
/**
 * @return a designation of @a agb for @a group that covers every day from @a from to @a to
 *         (both inclusive; one designation, not several that join up), or NULL.
 */
const ref_designation *refdata_designation_covering(const refdata *rd, const char *agb,
                                                    const char *group, lv_date from, lv_date to);
/** @return the tariff percentage of @a agb for @a year, or NULL. */
const ref_rate *refdata_rate(const refdata *rd, const char *agb, int year);
/** @return the AW319 time unit @a code ("01"), or NULL. */
const ref_time_unit *refdata_time_unit(const refdata *rd, const char *code);
/** @return the holidays, ascending after refdata_seal(); their count in @a n. */
const lv_date *refdata_holidays(const refdata *rd, size_t *n);

/** @return how many target groups were added. */
size_t refdata_target_group_count(const refdata *rd);
/** @return the i-th target group in contract order (0-based), NULL when out of range. */
const ref_target_group *refdata_target_group_at(const refdata *rd, size_t i);
/** @return how many providers were added. */
size_t refdata_provider_count(const refdata *rd);
/** @return the i-th provider in the order added, NULL when out of range. */
const ref_provider *refdata_provider_at(const refdata *rd, size_t i);

#endif
