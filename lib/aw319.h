/*
 * aw319.h: parser for Vektis AW319 fixed-width declaration files (310 characters a record;
 * record types 01 header, 02 client, 04 service line, 98 comment, 99 trailer). Field
 * positions follow doc/domain.md. The trailer's record counts and total declared amount are
 * checked against the body; any structural defect rejects the file whole.
 */
#ifndef LVHCMON_AW319_H
#define LVHCMON_AW319_H

#include <stddef.h>

#include "declaration.h"
#include "error.h"

#define AW319_RECORD_LEN 310

/**
 * Parses one AW319 file. Records end in "\n" or "\r\n" (the last one may lack it).
 * @param max_lines  reject with LV_9207_TOO_MANY_LINES beyond this many 04 records (0: no cap)
 * @return a submission the caller owns (decl_submission_free), or NULL with @a err filled.
 *         The reference of the submission is the header's invoice number.
 */
decl_submission *aw319_parse(const char *data, size_t len, size_t max_lines, lv_error *err);

#endif
