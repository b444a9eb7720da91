/*
 * response.c: building the submission answer from validated lines.
 */
#include "response.h"

#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "money.h"

bool response_totals_compute(const line_result *results, size_t n, response_totals *out)
{
    response_totals t = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        if (!results[i].accepted) {
            t.rejected++;
            continue;
        }
        t.accepted++;
        if (!money_add(t.amount_cents, results[i].amount_cents, &t.amount_cents))
            return false;
    }
    *out = t;
    return true;
}

void response_line_reason(const line_result *r, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < r->n_codes && used < size; k++) {
        const lv_code_info *info = lv_code_get(r->codes[k]);
        int w = snprintf(buf + used, size - used, "%s%s: %s", k ? "; " : "", info->id,
                         info->reason);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

static json_t *line_json_new(const decl_line *l, const line_result *r)
{
    json_t *codes = json_array();
    for (size_t k = 0; k < r->n_codes; k++)
        json_array_append_new(codes, json_string(lv_code_get(r->codes[k])->id));
    json_t *o = json_pack("{s:s, s:s, s:o, s:I, s:b}", "line_ref", l->line_ref, "status",
                          r->accepted ? "accepted" : "rejected", "codes", codes, "amount_cents",
                          (json_int_t)r->amount_cents, "late", r->late);
    if (!o)
        return NULL;
    if (r->n_codes > 0) {
        char reason[512];
        response_line_reason(r, reason, sizeof reason);
        json_object_set_new(o, "reason", json_string(reason));
    }
    if (r->field[0] != '\0')
        json_object_set_new(o, "field", json_string(r->field));
    return o;
}

json_t *response_submission_new(int64_t id, const decl_submission *sub,
                                const line_result *results, const response_totals *totals)
{
    json_t *lines = json_array();
    if (!lines)
        return NULL;
    for (size_t i = 0; i < sub->n_lines; i++) {
        json_t *line = line_json_new(&sub->lines[i], &results[i]);
        if (!line || json_array_append_new(lines, line) != 0) {
            json_decref(lines);
            return NULL;
        }
    }
    return json_pack("{s:I, s:s, s:s, s:b, s:i, s:i, s:I, s:o}", "id", (json_int_t)id,
                     "provider_agb", sub->provider_agb, "reference", sub->reference, "replayed",
                     0, "accepted", totals->accepted, "rejected", totals->rejected,
                     "amount_cents", (json_int_t)totals->amount_cents, "lines", lines);
}
