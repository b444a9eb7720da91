/*
 * ingest_settings.h: turning the configuration into the settings of one ingest, the same
 * for the HTTP API and the command line.
 */
#ifndef LVHCMON_INGEST_SETTINGS_H
#define LVHCMON_INGEST_SETTINGS_H

#include "config_parse.h"
#include "ingest/ingest.h"

/*
 * A line covers one calendar month, so no line can honestly hold more minutes than the
 * longest month has (31 x 24 x 60); above that the quantity is over the maximum (0584).
 */
#define INGEST_MAX_MINUTES_PER_LINE (31 * 24 * 60)
/* Trips or kilometres on one travel line in one month: a generous physical bound. */
#define INGEST_MAX_UNITS_PER_LINE 20000

/**
 * Fills @a out from @a cfg for @a channel, with today's date (UTC) as the day received.
 * The key pointer refers into @a cfg, which must outlive the settings.
 */
void ingest_settings_from_config(const lv_config *cfg, const char *channel, ingest_settings *out);

/** @return today in Amsterdam (nl_time.h) as a day number: the day a submission arrives. */
lv_date ingest_today(void);

#endif
