/*
 * ingest_settings.c: configuration -> ingest_settings.
 */
#include "ingest/ingest_settings.h"

#include <string.h>
#include <time.h>

lv_date ingest_today(void)
{
    return (lv_date)(time(NULL) / 86400);
}

void ingest_settings_from_config(const lv_config *cfg, const char *channel, ingest_settings *out)
{
    memset(out, 0, sizeof *out);
    out->channel = channel;
    out->hash_key = (const unsigned char *)(cfg->client_hash_key ? cfg->client_hash_key : "");
    out->hash_key_len = cfg->client_hash_key ? strlen(cfg->client_hash_key) : 0;
    out->deadline_working_days = (int)cfg->deadline_working_days;
    out->max_minutes_per_line = INGEST_MAX_MINUTES_PER_LINE;
    out->max_units_per_line = INGEST_MAX_UNITS_PER_LINE;
    out->max_travel_cents_per_line = (int64_t)cfg->max_travel_cents_per_line;
    out->received_on = ingest_today();
}
