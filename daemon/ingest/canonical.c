/*
 * canonical.c: canonical content of a submission (BSNs hashed) and the field-level diff
 * that a 409 reports. Keys are serialised sorted, so equal content gives equal bytes.
 */
#include "canonical.h"

#include <stdio.h>
#include <string.h>

static json_t *date_or_null(lv_date d)
{
    if (d == LV_DATE_NONE)
        return json_null();
    char buf[11];
    lv_date_format_iso(d, buf);
    return json_string(buf);
}

static const char *source_name(decl_source s)
{
    switch (s) {
    case DECL_SOURCE_CSV:
        return "csv";
    case DECL_SOURCE_AW319:
        return "aw319";
    default:
        return "json";
    }
}

static json_t *canonical_line_new(const decl_line *l, const char *client_hash)
{
    char dc[2] = {l->debit_credit, 0};
    json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:I, s:I, s:s, s:s}", "line_ref", l->line_ref,
                          "client_hash", client_hash, "prestatie", l->prestatie, "date_from",
                          date_or_null(l->date_from), "date_to", date_or_null(l->date_to),
                          "minutes", (json_int_t)l->quantity, "travel_cents",
                          (json_int_t)l->travel_cents, "debit_credit", dc, "corrects_ref",
                          l->corrects_ref);
    if (!o)
        return NULL;
    if (l->time_unit[0] != '\0' || l->has_declared_amount) {
        json_object_set_new(o, "quantity", json_integer(l->quantity_declared));
        json_object_set_new(o, "time_unit", json_string(l->time_unit));
        json_object_set_new(o, "declared_cents", json_integer(l->declared_cents));
        json_object_set_new(o, "declared_tariff_cents", json_integer(l->declared_tariff_cents));
    }
    if (l->parse_code != 0)
        json_object_set_new(o, "parse_defect", json_string(l->parse_field));
    return o;
}

json_t *canonical_submission_new(const decl_submission *sub,
                                 const char (*client_hashes)[PRIVACY_HASH_HEX_LEN + 1])
{
    json_t *lines = json_array();
    if (!lines)
        return NULL;
    for (size_t i = 0; i < sub->n_lines; i++) {
        json_t *line = canonical_line_new(&sub->lines[i], client_hashes[i]);
        if (!line || json_array_append_new(lines, line) != 0) {
            json_decref(lines);
            return NULL;
        }
    }
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "provider_agb", sub->provider_agb,
                     "reference", sub->reference, "source", source_name(sub->source),
                     "zorgkantoor", sub->zorgkantoor, "period_from",
                     date_or_null(sub->period_from), "period_to", date_or_null(sub->period_to),
                     "lines", lines);
}

/* Appends "prefix.key" for every key whose value differs between two objects. */
static void diff_objects(const json_t *a, const json_t *b, const char *prefix, json_t *out)
{
    const char *key;
    json_t *va;
    json_object_foreach((json_t *)a, key, va) {
        if (strcmp(key, "lines") == 0)
            continue;
        json_t *vb = json_object_get(b, key);
        if (!vb || !json_equal(va, vb)) {
            char path[96];
            snprintf(path, sizeof path, "%s%s%s", prefix, prefix[0] ? "." : "", key);
            json_array_append_new(out, json_string(path));
        }
    }
    json_t *vb;
    json_object_foreach((json_t *)b, key, vb) {
        if (strcmp(key, "lines") != 0 && !json_object_get(a, key)) {
            char path[96];
            snprintf(path, sizeof path, "%s%s%s", prefix, prefix[0] ? "." : "", key);
            json_array_append_new(out, json_string(path));
        }
    }
}

json_t *canonical_diff_new(const json_t *stored, const json_t *fresh)
{
    json_t *out = json_array();
    if (!out)
        return NULL;
    diff_objects(stored, fresh, "", out);
    const json_t *la = json_object_get(stored, "lines");
    const json_t *lb = json_object_get(fresh, "lines");
    size_t na = json_array_size(la), nb = json_array_size(lb);
    if (na != nb)
        json_array_append_new(out, json_string("lines"));
    size_t common = na < nb ? na : nb;
    for (size_t i = 0; i < common; i++) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "lines[%zu]", i);
        diff_objects(json_array_get(la, i), json_array_get(lb, i), prefix, out);
    }
    return out;
}
