/*
 * ledger_rows.c: a submission's lines as declaration_line rows (see ledger_rows.h).
 */
#include "ingest/ledger_rows.h"

#include <inttypes.h>
#include <stdio.h>

#include "codes.h"
#include "ingest/response.h"

static void put_date(copy_buffer *b, lv_date d)
{
    if (d == LV_DATE_NONE) {
        copy_buffer_null(b);
        return;
    }
    char iso[11];
    lv_date_format_iso(d, iso);
    copy_buffer_raw(b, iso);
}

static void put_codes(copy_buffer *b, const line_result *r)
{
    char arr[8 * VALIDATE_MAX_CODES + 4];
    size_t used = 0;
    arr[used++] = '{';
    for (size_t k = 0; k < r->n_codes; k++) {
        int w = snprintf(arr + used, sizeof arr - used, "%s%s", k ? "," : "",
                         lv_code_get(r->codes[k])->id);
        if (w < 0 || (size_t)w >= sizeof arr - used)
            break;
        used += (size_t)w;
    }
    snprintf(arr + used, sizeof arr - used, "}");
    copy_buffer_raw(b, arr);
}

/* The quantity kept: effective minutes (time) or units (travel) for accepted lines, the
 * declared quantity otherwise. */
static int64_t stored_quantity(const decl_line *l, const line_result *r)
{
    if (r->accepted)
        return r->quantity;
    return l->time_unit[0] != '\0' ? l->quantity_declared : l->quantity;
}

bool ledger_rows_write(void *cls, size_t i, copy_buffer *b)
{
    ledger_rows *rows = cls;
    if (rows->id_text[0] == '\0')
        snprintf(rows->id_text, sizeof rows->id_text, "%" PRId64, rows->submission_id);
    const decl_submission *sub = rows->sub;
    const decl_line *l = &sub->lines[i];
    const line_result *r = &rows->results[i];
    char dc[2] = {l->debit_credit, 0}, reason[512];
    copy_buffer_raw(b, rows->id_text);
    copy_buffer_int(b, (int64_t)i + 1);
    copy_buffer_text(b, sub->provider_agb);
    copy_buffer_text(b, l->line_ref);
    copy_buffer_text_or_null(b, rows->client_hashes[i]);
    copy_buffer_text_or_null(b, l->prestatie);
    copy_buffer_text_or_null(b, r->target_group);
    copy_buffer_text_or_null(b, rows->zorgkantoor);
    put_date(b, l->date_from);
    put_date(b, l->date_to);
    put_date(b, l->date_from == LV_DATE_NONE ? LV_DATE_NONE : lv_date_month_start(l->date_from));
    copy_buffer_int(b, stored_quantity(l, r));
    copy_buffer_int(b, r->minutes);
    copy_buffer_int(b, r->travel_cents);
    if (dc[0] == 'D' || dc[0] == 'C')
        copy_buffer_raw(b, dc);
    else
        copy_buffer_null(b);
    copy_buffer_text_or_null(b, l->corrects_ref);
    if (r->accepted) {
        copy_buffer_int(b, r->tariff_cents);
        copy_buffer_int(b, r->rate_bp);
    } else {
        copy_buffer_null(b);
        copy_buffer_null(b);
    }
    copy_buffer_int(b, r->amount_cents);
    if (l->has_declared_amount)
        copy_buffer_int(b, l->declared_cents);
    else
        copy_buffer_null(b);
    copy_buffer_bool(b, r->accepted);
    copy_buffer_bool(b, r->late);
    put_codes(b, r);
    response_line_reason(r, reason, sizeof reason);
    copy_buffer_text_or_null(b, reason);
    copy_buffer_text_or_null(b, r->field);
    copy_buffer_end_row(b);
    return !b->failed;
}
