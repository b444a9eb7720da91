/*
 * nl_time.h: the civil day in Europe/Amsterdam, the calendar the users and the
 * purchasing conditions live in. "The figures as of 31 October" means the lines received
 * up to the end of 31 October in the Netherlands, which is 23:00 UTC in winter and 22:00
 * UTC in summer, and a day across a change of the clocks is 23 or 25 hours long.
 *
 * The rule is the European Union's summer time (Directive 2000/84/EC, in force in the
 * Netherlands since 1996): UTC+1 (CET), and UTC+2 (CEST) from 01:00 UTC on the last
 * Sunday of March until 01:00 UTC on the last Sunday of October. It is computed here with
 * integers, not read from the system's time zone database, so the answer is the same on
 * every machine and in every thread (localtime_r() depends on TZ and takes a lock). Valid
 * for 1996 onwards; should the EU end the changes of the clocks, this file is the one place
 * to change. tests/unit/check_nl_time.c checks it against known instants, and the
 * integration test of as_of checks it against PostgreSQL's AT TIME ZONE.
 *
 * Instants are seconds since 1970-01-01T00:00:00Z (int64); days are lv_date (calendar.h).
 */
#ifndef LVHCMON_NL_TIME_H
#define LVHCMON_NL_TIME_H

#include <stdint.h>

#include "calendar.h"

/** @return the offset of Amsterdam's clocks from UTC at instant @a utc: 3600 or 7200. */
int nl_utc_offset(int64_t utc);

/**
 * @return the instant at which @a day begins in Amsterdam (its local 00:00), in seconds
 *         since the epoch. The end of @a day is the start of @a day + 1.
 */
int64_t nl_day_start(lv_date day);

/** @return the Amsterdam calendar day that contains instant @a utc. */
lv_date nl_date_of(int64_t utc);

/**
 * @return the instant of @a hour:00 local time on @a day (0..23); an hour the clocks skip
 *         (02:00 on the last Sunday of March) is read as the hour after it.
 */
int64_t nl_local_hour(lv_date day, int hour);

#endif
