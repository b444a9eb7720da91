/*
 * provider_declarations_csv_get.c: GET /api/v1/providers/{agb}/declarations.csv?year=Y
 * [&lang=nl|en]: a provider's lines of year Y (by date_from) as a CSV file for Excel
 * (doc/api.md §5): UTF-8 with a byte order mark, ';' between cells, CRLF, money in euros with
 * a decimal comma (nl, the default) or point (en), text cells guarded against formula
 * injection (lib/excel_csv.h). One row per line in (received, submission, line) order. No
 * BSN and no client hash.
 *
 * Roles: controller, and that provider; another provider gets 404 provider_not_found, as an
 * unknown AGB does; a year outside 2000..2100 is 400 naming it. Recorded in the audit trail
 * (declarations.read, detail "export": "csv") before any line is sent.
 *
 * Streamed: the handler writes the header row and the first page of lines on the request's
 * connection; the rest is read a page at a time while libmicrohttpd sends the body, on a
 * connection the stream takes from the pool when it needs one (the request's own is back in
 * the pool by then) and puts back when the body is done. Memory stays at one page, however
 * many lines the provider has. A database failure halfway ends the body with an error
 * (libmicrohttpd closes the chunked answer uncleanly), so a client never takes a truncated
 * file for a whole one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_pool.h"
#include "db/queries_export.h"
#include "db/queries_reference.h"
#include "excel_csv.h"
#include "http/audit_reply.h"
#include "http/handlers.h"
#include "http/query_params.h"
#include "http/reply.h"
#include "log.h"
#include "snapshot/snapshot.h"

#define PAGE_LINES 1000
#define BLOCK_BYTES (64 * 1024)

/* The headers, Dutch then English. */
static const char *const COLUMNS[2][15] = {
    {"Ontvangen", "Factuurnummer", "Regel", "Prestatie", "Doelgroep", "Van", "Tot en met",
     "Minuten", "Reiskosten", "Bedrag", "Debet/credit", "Status", "Codes", "Reden", "Te laat"},
    {"received", "reference", "line_ref", "prestatie", "target_group", "date_from", "date_to",
     "minutes", "travel", "amount", "debit_credit", "status", "codes", "reason", "late"},
};

/* One download being sent; owned by its response (freed by stream_free()). */
typedef struct {
    db_pool *pool;
    db_conn *conn; /* taken from the pool for the second page on; NULL until then */
    char agb[16];
    int year;
    excel_csv_lang lang;
    xq_cursor after;
    bool done; /* the last page is in buf */
    excel_csv_buf buf;
    size_t sent; /* bytes of buf handed to libmicrohttpd */
} export_stream;

/* The codes of a text[] literal ("{0435,0586}") separated by spaces ("0435 0586"). */
static void codes_cell(excel_csv_buf *b, const char *literal)
{
    char text[256];
    size_t n = 0;
    for (const char *p = literal; *p && n + 1 < sizeof text; p++)
        if (*p != '{' && *p != '}' && *p != '"')
            text[n++] = *p == ',' ? ' ' : *p;
    text[n] = '\0';
    excel_csv_text(b, text);
}

/* A line's status as the file's language says it (the API's own word in English). */
static const char *status_text(const char *status, excel_csv_lang lang)
{
    static const char *const NL[][2] = {
        {"accepted", "geaccepteerd"}, {"rejected", "afgewezen"}, {"credited", "gecrediteerd"}};
    for (size_t i = 0; lang == EXCEL_CSV_NL && i < sizeof NL / sizeof NL[0]; i++)
        if (strcmp(status, NL[i][0]) == 0)
            return NL[i][1];
    return status;
}

static void line_row(excel_csv_buf *b, const xq_line *l, excel_csv_lang lang)
{
    excel_csv_text(b, l->received);
    excel_csv_text(b, l->reference);
    excel_csv_text(b, l->line_ref);
    excel_csv_text(b, l->prestatie);
    excel_csv_text(b, l->target_group);
    excel_csv_text(b, l->date_from);
    excel_csv_text(b, l->date_to);
    excel_csv_int(b, l->minutes);
    excel_csv_money(b, l->travel_cents, lang);
    excel_csv_money(b, l->amount_cents, lang);
    excel_csv_text(b, l->debit_credit);
    excel_csv_text(b, status_text(l->status, lang));
    codes_cell(b, l->codes);
    excel_csv_text(b, l->reason);
    excel_csv_text(b, l->late ? (lang == EXCEL_CSV_EN ? "yes" : "ja")
                              : (lang == EXCEL_CSV_EN ? "no" : "nee"));
    excel_csv_row_end(b);
}

/* Reads the next page on @a conn into the buffer. @return DB_OK, or the failure. */
static db_status next_page(export_stream *s, db_conn *conn)
{
    xq_page page;
    db_status st = xq_lines(conn, s->agb, s->year, &s->after, PAGE_LINES, &page);
    if (st != DB_OK)
        return st;
    for (size_t i = 0; i < page.n; i++)
        line_row(&s->buf, &page.lines[i], s->lang);
    if (page.n > 0)
        s->after = page.lines[page.n - 1].key;
    s->done = page.n < PAGE_LINES;
    xq_page_clear(&page);
    return s->buf.failed ? DB_FAILED : DB_OK;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
    (void)pos;
    export_stream *s = cls;
    while (s->sent == s->buf.len) {
        if (s->done)
            return MHD_CONTENT_READER_END_OF_STREAM;
        excel_csv_take(&s->buf);
        s->sent = 0;
        lv_error err = {0};
        if (s->conn == NULL && (s->conn = db_pool_get(s->pool, &err)) == NULL) {
            log_error("declarations.csv: no database connection to go on", "{s:s, s:s}", "provider",
                      s->agb, "error", err.message);
            return MHD_CONTENT_READER_END_WITH_ERROR;
        }
        if (next_page(s, s->conn) != DB_OK) {
            log_error("declarations.csv: the download stopped halfway", "{s:s, s:i}", "provider",
                      s->agb, "year", s->year);
            return MHD_CONTENT_READER_END_WITH_ERROR;
        }
    }
    size_t n = s->buf.len - s->sent < max ? s->buf.len - s->sent : max;
    memcpy(out, s->buf.data + s->sent, n);
    s->sent += n;
    return (ssize_t)n;
}

static void stream_free(void *cls)
{
    export_stream *s = cls;
    if (s->conn != NULL)
        db_pool_put(s->pool, s->conn);
    excel_csv_buf_free(&s->buf);
    free(s);
}

/* Hands the stream to libmicrohttpd with the file's headers. */
static enum MHD_Result queue_stream(http_request *req, export_stream *s)
{
    struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, BLOCK_BYTES,
                                                                  stream_read, s, stream_free);
    if (resp == NULL) {
        stream_free(s);
        return MHD_NO;
    }
    char disposition[80];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"lvhcmon-%s-%d.csv\"", s->agb,
             s->year);
    const http_header headers[] = {{MHD_HTTP_HEADER_CONTENT_TYPE, "text/csv; charset=utf-8"},
                                   {MHD_HTTP_HEADER_CONTENT_DISPOSITION, disposition},
                                   {NULL, NULL}};
    http_reply_headers(req, resp, headers);
    enum MHD_Result ret = MHD_queue_response(req->connection, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    if (ret == MHD_YES) {
        req->replied = true;
        req->status = MHD_HTTP_OK;
    }
    return ret;
}

enum MHD_Result http_handler_provider_declarations_csv_get(http_request *req)
{
    static const char *const langs[] = {"nl", "en", NULL};
    const char *agb = http_request_param(req, "agb");
    if (req->principal.role == AUTH_ROLE_PROVIDER && strcmp(agb, req->principal.provider_agb) != 0)
        return http_reply_error(req, LV_PROVIDER_NOT_FOUND, NULL, "no such provider");
    int64_t year;
    const char *lang;
    if (!http_query_int(req, "year", 2000, 2100, snapshot_current_year(req->config), &year) ||
        !http_query_enum(req, "lang", langs, &lang))
        return MHD_YES;
    db_conn *db = http_request_db(req);
    if (!db)
        return http_reply_no_db(req);
    db_status st = rq_provider_exists(db, agb);
    if (st == DB_NOT_FOUND)
        return http_reply_error(req, LV_PROVIDER_NOT_FOUND, NULL, "no such provider");
    if (st != DB_OK)
        return http_reply_db_failure(req, st);

    export_stream *s = calloc(1, sizeof *s);
    if (s == NULL)
        return http_reply_error(req, LV_HTTP_INTERNAL, NULL, "out of memory");
    s->pool = req->app->pool;
    snprintf(s->agb, sizeof s->agb, "%s", agb);
    s->year = (int)year;
    s->lang = strcmp(lang, "en") == 0 ? EXCEL_CSV_EN : EXCEL_CSV_NL;
    excel_csv_bom(&s->buf);
    for (size_t i = 0; i < 15; i++)
        excel_csv_text(&s->buf, COLUMNS[s->lang == EXCEL_CSV_EN][i]);
    excel_csv_row_end(&s->buf);
    st = next_page(s, db);
    if (st != DB_OK) {
        stream_free(s);
        return http_reply_db_failure(req, st);
    }

    /* Recorded before a line leaves: a download whose row cannot be written is refused. */
    char object[32];
    snprintf(object, sizeof object, "provider:%s", agb);
    json_t *detail = json_pack("{s:s, s:i, s:s}", "export", "csv", "year", (int)year, "lang",
                               s->lang == EXCEL_CSV_EN ? "en" : "nl");
    audit_event ev = {AUDIT_LINES_READ, object, agb, "ok", detail};
    st = http_audit_record(req, db, &ev);
    json_decref(detail);
    if (st != DB_OK) {
        stream_free(s);
        return http_reply_audit_failure(req, st);
    }
    return queue_stream(req, s);
}
