/*
 * fuzz_check.h: invariants every declaration parser must keep, whatever the input: checked
 * after each run by the fuzz targets, so a logic slip (an unterminated string, a line count
 * above the cap, a rejection without a code) crashes like a memory error would.
 */
#ifndef LVHCMON_FUZZ_CHECK_H
#define LVHCMON_FUZZ_CHECK_H

#include <string.h>

#include "declaration.h"
#include "error.h"
#include "text.h"

#define FUZZ_MAX_LINES 1000

#define FUZZ_ASSERT(cond)                                                                          \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

#define FUZZ_TERMINATED(array) FUZZ_ASSERT(memchr((array), '\0', sizeof(array)) != NULL)

/** A submission a parser accepted: bounded, terminated, consistent. */
static inline void fuzz_check_submission(const decl_submission *sub)
{
    FUZZ_ASSERT(sub->n_lines >= 1 && sub->n_lines <= FUZZ_MAX_LINES);
    FUZZ_ASSERT(sub->n_lines <= sub->cap_lines);
    FUZZ_ASSERT(strlen(sub->provider_agb) == DECL_AGB_LEN);
    FUZZ_ASSERT(strlen(sub->reference) >= 1);
    FUZZ_TERMINATED(sub->reference);
    FUZZ_ASSERT(text_utf8_valid(sub->reference, strlen(sub->reference), &(size_t){0}));
    FUZZ_TERMINATED(sub->zorgkantoor);
    for (size_t i = 0; i < sub->n_lines; i++) {
        const decl_line *l = &sub->lines[i];
        FUZZ_TERMINATED(l->line_ref);
        FUZZ_TERMINATED(l->client_bsn);
        FUZZ_TERMINATED(l->prestatie);
        FUZZ_TERMINATED(l->time_unit);
        FUZZ_TERMINATED(l->corrects_ref);
        FUZZ_TERMINATED(l->parse_field);
        FUZZ_ASSERT(l->client_bsn[0] == '\0' || strlen(l->client_bsn) == DECL_BSN_LEN);
        FUZZ_ASSERT(l->debit_credit == 0 || l->debit_credit == 'D' || l->debit_credit == 'C');
        FUZZ_ASSERT(l->parse_code >= 0 && l->parse_code < LV_CODE_COUNT);
        FUZZ_ASSERT((l->parse_code == 0) == (l->parse_field[0] == '\0'));
        FUZZ_TERMINATED(l->parse_value);
        /* a BSN never reaches a reason: a defective one is kept masked */
        if (strcmp(l->parse_field, "client_bsn") == 0)
            FUZZ_ASSERT(strspn(l->parse_value, "*") == strlen(l->parse_value));
        /* kept text is UTF-8, also from an ISO-8859-1 AW319 file */
        FUZZ_ASSERT(text_utf8_valid(l->line_ref, strlen(l->line_ref), &(size_t){0}));
        FUZZ_ASSERT(text_utf8_valid(l->corrects_ref, strlen(l->corrects_ref), &(size_t){0}));
        FUZZ_ASSERT(text_utf8_valid(l->prestatie, strlen(l->prestatie), &(size_t){0}));
        FUZZ_ASSERT(l->quantity >= 0 && l->travel_cents >= 0);
        FUZZ_ASSERT(l->source_line_no >= 1);
    }
}

/** A rejection: it carries a code and a message. */
static inline void fuzz_check_error(const lv_error *err)
{
    FUZZ_ASSERT(err->code != LV_OK && err->code < LV_CODE_COUNT);
    FUZZ_ASSERT(err->message[0] != '\0');
    FUZZ_TERMINATED(err->field);
    FUZZ_TERMINATED(err->message);
}

#endif
