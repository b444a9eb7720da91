/*
 * declaration_json.c: submissions and lines as the API's JSON (see declaration_json.h).
 */
#include "http/declaration_json.h"

#include <string.h>

json_t *http_submission_json_new(const dq_submission_row *s)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:i, s:I}", "id", (json_int_t)s->id,
                     "provider_agb", s->provider_agb, "reference", s->reference, "source",
                     s->source, "received_at", s->received_at, "accepted", s->accepted, "rejected",
                     s->rejected, "amount_cents", (json_int_t)s->amount_cents);
}

/* Codes are digits or lower-case names, months YYYY-MM, so the literal is {a,b} without
 * quoting. */
json_t *http_text_array_json_new(const char *pg_array)
{
    json_t *arr = json_array();
    const char *p = pg_array;
    if (*p == '{')
        p++;
    while (arr != NULL && *p && *p != '}') {
        size_t n = strcspn(p, ",}");
        json_array_append_new(arr, json_stringn(p, n));
        p += n;
        if (*p == ',')
            p++;
    }
    return arr;
}

static json_t *string_or_null(const char *s)
{
    return s[0] ? json_string(s) : json_null();
}

static json_t *line_json(const dq_line *l)
{
    json_t *o = json_pack(
        "{s:I, s:I, s:s, s:i, s:s, s:s, s:o, s:I, s:b, s:o, s:o, s:o, s:o, s:I, s:I, s:o, s:o}",
        "id", (json_int_t)l->id, "submission_id", (json_int_t)l->submission_id, "reference",
        l->reference, "line_no", l->line_no, "line_ref", l->line_ref, "status", l->status, "codes",
        http_text_array_json_new(l->codes), "amount_cents", (json_int_t)l->amount_cents, "late",
        l->late, "prestatie", string_or_null(l->prestatie), "target_group",
        string_or_null(l->target_group), "date_from", string_or_null(l->date_from), "date_to",
        string_or_null(l->date_to), "minutes", (json_int_t)l->minutes, "travel_cents",
        (json_int_t)l->travel_cents, "debit_credit", string_or_null(l->debit_credit),
        "corrects_ref", string_or_null(l->corrects_ref));
    if (o && l->reason[0])
        json_object_set_new(o, "reason", json_string(l->reason));
    if (o && l->field[0])
        json_object_set_new(o, "field", json_string(l->field));
    if (o && !l->no_declared)
        json_object_set_new(o, "declared_cents", json_integer(l->declared_cents));
    return o;
}

json_t *http_lines_json_new(const dq_line_page *page)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr != NULL && i < page->n; i++) {
        json_t *line = line_json(&page->lines[i]);
        if (line == NULL || json_array_append_new(arr, line) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}
