/*
 * canonical.c: canonical content of a submission (BSNs hashed) and the field-level diff
 * that a 409 reports.
 *
 * The canonical text is JSON with sorted keys, so equal content gives equal bytes. It is
 * written directly (json_text.h), key by key in sorted order, rather than built as a
 * jansson tree and dumped with JSON_SORT_KEYS: for a submission of a thousand lines the
 * tree, its sort and its release were the largest single cost of storing it. The bytes
 * are exactly those jansson writes with JSON_COMPACT | JSON_SORT_KEYS, as stored content
 * hashes require (tests/unit/check_ingest_json.c). A 409 parses the stored and the new
 * text back into trees to name the fields that differ; that is rare.
 *
 * Keys of a line, in strcmp() order: client_hash, corrects_ref, date_from, date_to,
 * debit_credit, [declared_cents, declared_tariff_cents,] line_ref, minutes,
 * [parse_defect,] prestatie, [quantity, time_unit,] travel_cents; the bracketed ones only
 * where the format carries them (AW319) or the line had a parse defect.
 */
#include "canonical.h"

#include <stdio.h>
#include <string.h>

#include "ingest/json_text.h"

static void member_date(json_text *t, const char *key, lv_date d)
{
    json_text_key(t, key, false);
    if (d == LV_DATE_NONE) {
        json_text_raw(t, "null", 4);
        return;
    }
    char iso[11];
    lv_date_format_iso(d, iso);
    json_text_string(t, iso);
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

static void put_line(json_text *t, const decl_line *l, const char *client_hash)
{
    char dc[2] = {l->debit_credit, 0};
    bool aw319 = l->time_unit[0] != '\0' || l->has_declared_amount;
    json_text_raw(t, "{", 1);
    json_text_member_string(t, "client_hash", client_hash, true);
    json_text_member_string(t, "corrects_ref", l->corrects_ref, false);
    member_date(t, "date_from", l->date_from);
    member_date(t, "date_to", l->date_to);
    json_text_member_string(t, "debit_credit", dc, false);
    if (aw319) {
        json_text_member_int(t, "declared_cents", l->declared_cents, false);
        json_text_member_int(t, "declared_tariff_cents", l->declared_tariff_cents, false);
    }
    json_text_member_string(t, "line_ref", l->line_ref, false);
    json_text_member_int(t, "minutes", l->quantity, false);
    if (l->parse_code != 0)
        json_text_member_string(t, "parse_defect", l->parse_field, false);
    json_text_member_string(t, "prestatie", l->prestatie, false);
    if (aw319) {
        json_text_member_int(t, "quantity", l->quantity_declared, false);
        json_text_member_string(t, "time_unit", l->time_unit, false);
    }
    json_text_member_int(t, "travel_cents", l->travel_cents, false);
    json_text_raw(t, "}", 1);
}

char *canonical_submission_text_new(const decl_submission *sub,
                                    const char (*client_hashes)[PRIVACY_HASH_HEX_LEN + 1])
{
    json_text t;
    /* About 270 bytes a line: one allocation for most submissions. */
    json_text_init(&t, 256 + sub->n_lines * 320);
    json_text_raw(&t, "{", 1);
    json_text_key(&t, "lines", true);
    json_text_raw(&t, "[", 1);
    for (size_t i = 0; i < sub->n_lines; i++) {
        if (i)
            json_text_raw(&t, ",", 1);
        put_line(&t, &sub->lines[i], client_hashes[i]);
    }
    json_text_raw(&t, "]", 1);
    member_date(&t, "period_from", sub->period_from);
    member_date(&t, "period_to", sub->period_to);
    json_text_member_string(&t, "provider_agb", sub->provider_agb, false);
    json_text_member_string(&t, "reference", sub->reference, false);
    json_text_member_string(&t, "source", source_name(sub->source), false);
    json_text_member_string(&t, "zorgkantoor", sub->zorgkantoor, false);
    json_text_raw(&t, "}", 1);
    return json_text_finish(&t, NULL);
}

/* Appends "prefix.key" for every key whose value differs between two objects. */
static void diff_objects(const json_t *a, const json_t *b, const char *prefix, json_t *out)
{
    const char *key;
    json_t *va;
    json_object_foreach((json_t *)a, key, va)
    {
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
    json_object_foreach((json_t *)b, key, vb)
    {
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
