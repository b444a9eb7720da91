/*
 * response.c: building the submission answer from validated lines. It is written as text
 * directly (json_text.h), in the key order of doc/api.md, not built as a jansson tree: the
 * answer to a submission of thousands of lines is as large as the submission, and the
 * tree cost more than validating it.
 */
#include "response.h"

#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "ingest/json_text.h"
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
    if (r->reason[0] != '\0') {
        snprintf(buf, size, "%s", r->reason);
        return;
    }
    for (size_t k = 0; k < r->n_codes && used < size; k++) {
        const lv_code_info *info = lv_code_get(r->codes[k]);
        int w =
            snprintf(buf + used, size - used, "%s%s: %s", k ? "; " : "", info->id, info->reason);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* One line of the answer: line_ref, status, codes, amount_cents, late, and reason and
 * field where they apply. */
static void put_line(json_text *t, const decl_line *l, const line_result *r)
{
    json_text_raw(t, "{", 1);
    json_text_member_string(t, "line_ref", l->line_ref, true);
    json_text_member_string(t, "status", r->accepted ? "accepted" : "rejected", false);
    json_text_key(t, "codes", false);
    json_text_raw(t, "[", 1);
    for (size_t k = 0; k < r->n_codes; k++) {
        if (k)
            json_text_raw(t, ",", 1);
        json_text_string(t, lv_code_get(r->codes[k])->id);
    }
    json_text_raw(t, "]", 1);
    json_text_member_int(t, "amount_cents", r->amount_cents, false);
    json_text_member_bool(t, "late", r->late, false);
    if (r->n_codes > 0) {
        char reason[512];
        response_line_reason(r, reason, sizeof reason);
        json_text_member_string(t, "reason", reason, false);
    }
    if (r->field[0] != '\0')
        json_text_member_string(t, "field", r->field, false);
    json_text_raw(t, "}", 1);
}

char *response_submission_text_new(int64_t id, const decl_submission *sub,
                                   const line_result *results, const response_totals *totals,
                                   size_t *len_out)
{
    json_text t;
    /* About 100 bytes a line without codes: one allocation for most submissions. */
    json_text_init(&t, 256 + sub->n_lines * 128);
    json_text_raw(&t, "{", 1);
    json_text_member_int(&t, "id", id, true);
    json_text_member_string(&t, "provider_agb", sub->provider_agb, false);
    json_text_member_string(&t, "reference", sub->reference, false);
    json_text_member_bool(&t, "replayed", false, false);
    json_text_member_int(&t, "accepted", totals->accepted, false);
    json_text_member_int(&t, "rejected", totals->rejected, false);
    json_text_member_int(&t, "amount_cents", totals->amount_cents, false);
    json_text_key(&t, "lines", false);
    json_text_raw(&t, "[", 1);
    for (size_t i = 0; i < sub->n_lines; i++) {
        if (i)
            json_text_raw(&t, ",", 1);
        put_line(&t, &sub->lines[i], &results[i]);
    }
    json_text_raw(&t, "]}", 2);
    return json_text_finish(&t, len_out);
}
