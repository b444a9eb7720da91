/*
 * declaration.c: construction and release of decl_submission, the shape every parser
 * produces. Clear BSNs are wiped (not just freed) so they do not linger in freed memory.
 */
#include "declaration.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "wipe.h"

decl_submission *decl_submission_new(decl_source source)
{
    decl_submission *sub = calloc(1, sizeof *sub);
    if (!sub)
        return NULL;
    sub->source = source;
    sub->period_from = LV_DATE_NONE;
    sub->period_to = LV_DATE_NONE;
    return sub;
}

void decl_submission_wipe_bsns(decl_submission *sub)
{
    if (!sub)
        return;
    for (size_t i = 0; i < sub->n_lines; i++) {
        volatile char *p = sub->lines[i].client_bsn;
        for (size_t k = 0; k < sizeof sub->lines[i].client_bsn; k++)
            p[k] = 0;
    }
}

void decl_submission_free(decl_submission *sub)
{
    if (!sub)
        return;
    /* The lines held the clear BSNs (and the rest of what a client was declared with). */
    lv_wipe_free(sub->lines);
    free(sub);
}

decl_line *decl_submission_add_line(decl_submission *sub)
{
    if (sub->n_lines == sub->cap_lines) {
        size_t cap = sub->cap_lines ? sub->cap_lines * 2 : 16;
        decl_line *grown = lv_wipe_realloc(sub->lines, cap * sizeof *grown);
        if (!grown)
            return NULL;
        sub->lines = grown;
        sub->cap_lines = cap;
    }
    decl_line *line = &sub->lines[sub->n_lines++];
    memset(line, 0, sizeof *line);
    line->date_from = LV_DATE_NONE;
    line->date_to = LV_DATE_NONE;
    line->source_line_no = (int)sub->n_lines;
    return line;
}

void decl_line_set_defect(decl_line *line, int code, const char *field)
{
    if (line->parse_code != 0)
        return;
    line->parse_code = code;
    snprintf(line->parse_field, sizeof line->parse_field, "%s", field ? field : "");
}

void decl_line_set_defect_value(decl_line *line, int code, const char *field, const char *value,
                                size_t len)
{
    if (line->parse_code != 0)
        return;
    decl_line_set_defect(line, code, field);
    if (field && strcmp(field, "client_bsn") == 0) {
        size_t n = len < sizeof line->parse_value - 1 ? len : sizeof line->parse_value - 1;
        memset(line->parse_value, '*', n);
        line->parse_value[n] = '\0';
        return;
    }
    text_quote(line->parse_value, sizeof line->parse_value, value ? value : "", value ? len : 0);
}
