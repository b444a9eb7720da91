/*
 * query_params.c: query-string and path parameter parsing for handlers.
 */
#include "http/query_params.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/reply.h"

static bool parse_int64(const char *s, int64_t *out)
{
    if (!s || !*s || strlen(s) > 19 || strspn(s, "-0123456789") != strlen(s))
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *out = v;
    return true;
}

bool http_query_int(http_request *req, const char *key, int64_t min, int64_t max, int64_t dflt,
                    int64_t *out)
{
    const char *text = http_request_query(req, key);
    if (!text) {
        *out = dflt;
        return true;
    }
    int64_t v;
    if (!parse_int64(text, &v) || v < min || v > max) {
        http_reply_error(req, LV_HTTP_BAD_REQUEST, key,
                         "%s must be a whole number from %" PRId64 " to %" PRId64, key, min, max);
        return false;
    }
    *out = v;
    return true;
}

bool http_query_date(http_request *req, const char *key, lv_date *out)
{
    const char *text = http_request_query(req, key);
    *out = LV_DATE_NONE;
    if (!text)
        return true;
    if (!lv_date_parse_iso(text, out)) {
        http_reply_error(req, LV_HTTP_BAD_REQUEST, key,
                         "%s must be a date YYYY-MM-DD that exists, like 2026-10-31", key);
        return false;
    }
    return true;
}

bool http_query_enum(http_request *req, const char *key, const char *const *allowed,
                     const char **out)
{
    const char *text = http_request_query(req, key);
    *out = "";
    if (!text)
        return true;
    for (size_t i = 0; allowed[i]; i++) {
        if (strcmp(text, allowed[i]) == 0) {
            *out = allowed[i];
            return true;
        }
    }
    http_reply_error(req, LV_HTTP_BAD_REQUEST, key, "%s is not one of the allowed values", key);
    return false;
}

bool http_query_month(http_request *req, const char *key, char out[11])
{
    const char *text = http_request_query(req, key);
    out[0] = '\0';
    if (!text)
        return true;
    int year = 0, month = 0;
    if (strlen(text) == 7 && strspn(text, "0123456789") == 4 && text[4] == '-' &&
        strspn(text + 5, "0123456789") == 2) {
        year = atoi(text);
        month = atoi(text + 5);
    }
    if (year < 2000 || year > 2100 || month < 1 || month > 12) {
        http_reply_error(req, LV_HTTP_BAD_REQUEST, key, "%s must be a month written YYYY-MM", key);
        return false;
    }
    snprintf(out, 11, "%04d-%02d-01", year, month);
    return true;
}

bool http_path_id(http_request *req, const char *name, lv_code not_found, int64_t *out)
{
    const char *text = http_request_param(req, name);
    int64_t v;
    if (!text || strspn(text, "0123456789") != strlen(text) || !parse_int64(text, &v) || v <= 0) {
        http_reply_error(req, not_found, NULL, "%s", lv_code_get(not_found)->reason);
        return false;
    }
    *out = v;
    return true;
}
