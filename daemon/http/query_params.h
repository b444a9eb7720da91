/*
 * query_params.h: typed, range-checked query-string arguments. A bad value answers 400
 * naming the parameter, through the one error reply.
 */
#ifndef LVHCMON_HTTP_QUERY_PARAMS_H
#define LVHCMON_HTTP_QUERY_PARAMS_H

#include <stdbool.h>
#include <stdint.h>

#include "calendar.h"
#include "http/request.h"

/**
 * Reads integer parameter @a key into @a out: @a dflt when absent, else a decimal integer
 * within [min, max].
 * @return true when @a out holds a value; false when the request was already answered 400
 */
bool http_query_int(http_request *req, const char *key, int64_t min, int64_t max, int64_t dflt,
                    int64_t *out);

/**
 * Reads date parameter @a key ("YYYY-MM-DD") into @a out: LV_DATE_NONE when absent.
 * @return true when @a out holds a value; false when the request was already answered 400
 */
bool http_query_date(http_request *req, const char *key, lv_date *out);

/**
 * Reads parameter @a key, which must be one of @a allowed (NULL-terminated) or absent
 * (then @a out is "").
 * @return true when @a out holds a value; false when the request was answered 400
 */
bool http_query_enum(http_request *req, const char *key, const char *const *allowed,
                     const char **out);

/**
 * Reads an optional month argument written YYYY-MM (years 2000..2100).
 * @param out receives the month's first day, "YYYY-MM-01", or "" when absent
 * @return true when @a out is set; false when the request was answered 400 naming @a key
 */
bool http_query_month(http_request *req, const char *key, char out[11]);

/**
 * Reads a path parameter that must be a positive decimal id.
 * @param not_found the code of the 404 for this resource (declaration_not_found, ...)
 * @return true with @a out set; false when the request was answered 404 (no such id can
 *         exist, so it is "not found" rather than a bad request)
 */
bool http_path_id(http_request *req, const char *name, lv_code not_found, int64_t *out);

#endif
