/*
 * json_decl.h: declarative decoding of a JSON submission (doc/api.md) with jansson. Each
 * field is described once in a spec table; a type error or missing required field names
 * the field by its path ("lines[3].minutes").
 */
#ifndef LVHCMON_JSON_DECL_H
#define LVHCMON_JSON_DECL_H

#include <stddef.h>

#include "declaration.h"
#include "error.h"

/**
 * Decodes a submission body.
 * @param max_lines  reject with LV_9207_TOO_MANY_LINES beyond this many lines (0: no cap)
 * @return a submission the caller owns, or NULL with @a err filled.
 */
decl_submission *json_decl_parse(const char *data, size_t len, size_t max_lines, lv_error *err);

#endif
