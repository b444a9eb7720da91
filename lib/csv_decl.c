/*
 * csv_decl.c: the CSV declaration parser. libcsv tokenises (RFC 4180 quoting, CR/LF/CRLF
 * line ends); this file owns the column contract of doc/api.md, the mapping of a row onto a
 * decl_line, and the grouping of rows into submissions by (provider_agb, reference).
 *
 * Structural defects reject the whole file (NULL, lv_error with the physical line):
 *   invalid UTF-8 or a NUL byte 9206; no header or no data lines 9211; a header that is not
 *   exactly the 11 columns in order 9210 (field = the first column that is wrong or
 *   missing); a quoting error 9208; a row without exactly 11 columns 9208; a provider_agb
 *   that is not 8 digits or a reference that is not 1..20 bytes without control characters
 *   (9107 when empty, else 9108): both identify the submission, so a row without them cannot
 *   be placed; more than max_lines rows in one submission 9207.
 * Value defects keep the line, with the first defect (left to right) in parse_code:
 *   line_ref, client_bsn, prestatie, date_from, date_to, minutes empty 9107; line_ref or
 *   corrects_ref too long or holding a control character 9108, prestatie so 0582 (no such
 *   code exists); client_bsn not 9 digits 0435; a date not YYYY-MM-DD or not in the
 *   calendar 8007; minutes not a non-negative integer 0638 (zero is validation's 0638);
 *   travel_cents negative 0638, otherwise not a whole number 9108 (empty = 0); debit_credit
 *   not "D" or "C" 0631. Each defect keeps the value read, for the line's reason.
 * A UTF-8 byte order mark is skipped; blank lines (also those of spaces only) are skipped;
 * spaces and tabs around an unquoted field are dropped (libcsv's default, kind to
 * hand-edited files).
 *
 * Speed: a million rows must parse in about a second. So: no allocation per field (cells
 * are fixed buffers, and a value longer than any valid one is kept only as far as needed to
 * know it is too long), rows are mapped as soon as libcsv ends them, and submissions are
 * found through an open-addressing hash map (with a shortcut for the common case that a
 * row belongs to the same submission as the row before it). quantity and
 * quantity_declared both hold "minutes": CSV has no unit mapping.
 */
#include "csv_decl.h"

#include <csv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "wipe.h"

enum {
    COL_AGB,
    COL_REFERENCE,
    COL_LINE_REF,
    COL_BSN,
    COL_PRESTATIE,
    COL_DATE_FROM,
    COL_DATE_TO,
    COL_MINUTES,
    COL_TRAVEL,
    COL_DC,
    COL_CORRECTS,
    CSV_NCOLS
};

static const char *const COLUMNS[CSV_NCOLS] = {
    "provider_agb", "reference", "line_ref",     "client_bsn",   "prestatie",   "date_from",
    "date_to",      "minutes",   "travel_cents", "debit_credit", "corrects_ref"};

/* More than the longest valid value (20) plus room to quote a bad one in a message. */
#define CELL_KEEP 40
#define FEED_CHUNK (64 * 1024)

typedef struct {
    char text[CELL_KEEP + 1]; /* NUL-terminated, cut at CELL_KEEP */
    size_t len;               /* the real length */
} csv_cell;

typedef struct {
    lv_error *err;
    size_t max_lines;
    decl_batch *batch;
    uint32_t *slots; /* index + 1 into batch->subs; 0 = empty */
    size_t n_slots;  /* a power of two */
    decl_submission *last;
    csv_cell cells[CSV_NCOLS];
    size_t n_fields; /* fields seen in the current row (may exceed CSV_NCOLS) */
    int line;        /* current physical line, 1-based */
    int row_line;    /* line where the current row began */
    bool header_done;
    bool failed;
    bool has_quotes; /* only a quoted field can hold a newline */
    size_t n_rows;
} csv_ctx;

void decl_batch_free(decl_batch *batch)
{
    if (!batch)
        return;
    for (size_t i = 0; i < batch->n_subs; i++)
        decl_submission_free(batch->subs[i]);
    free(batch->subs);
    free(batch);
}

static uint64_t key_hash(const char *agb, const char *ref, size_t ref_len)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < DECL_AGB_LEN; i++)
        h = (h ^ (unsigned char)agb[i]) * 1099511628211ull;
    h = (h ^ 0xFF) * 1099511628211ull; /* separator: no byte of an AGB or a text is 0xFF */
    for (size_t i = 0; i < ref_len; i++)
        h = (h ^ (unsigned char)ref[i]) * 1099511628211ull;
    return h;
}

static bool same_key(const decl_submission *s, const char *agb, const char *ref)
{
    return memcmp(s->provider_agb, agb, DECL_AGB_LEN) == 0 && strcmp(s->reference, ref) == 0;
}

static bool map_grow(csv_ctx *c)
{
    size_t n = c->n_slots ? c->n_slots * 2 : 64;
    uint32_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < c->batch->n_subs; i++) {
        const decl_submission *s = c->batch->subs[i];
        size_t k = key_hash(s->provider_agb, s->reference, strlen(s->reference)) & (n - 1);
        while (slots[k])
            k = (k + 1) & (n - 1);
        slots[k] = (uint32_t)(i + 1);
    }
    free(c->slots);
    c->slots = slots;
    c->n_slots = n;
    return true;
}

/** @return the submission of (agb, ref), created at the end of the batch when new. */
static decl_submission *find_or_add(csv_ctx *c, const csv_cell *agb, const csv_cell *ref)
{
    if (c->last && same_key(c->last, agb->text, ref->text))
        return c->last;
    /* keep the load factor under one half so probe runs stay short */
    if ((c->batch->n_subs + 1) * 2 > c->n_slots && !map_grow(c))
        return NULL;
    size_t mask = c->n_slots - 1;
    size_t k = key_hash(agb->text, ref->text, ref->len) & mask;
    while (c->slots[k]) {
        decl_submission *s = c->batch->subs[c->slots[k] - 1];
        if (same_key(s, agb->text, ref->text))
            return c->last = s;
        k = (k + 1) & mask;
    }
    decl_batch *b = c->batch;
    if (b->n_subs == UINT32_MAX - 1)
        return NULL;
    if (b->n_subs == b->cap_subs) {
        size_t cap = b->cap_subs ? b->cap_subs * 2 : 8;
        decl_submission **grown = realloc(b->subs, cap * sizeof *grown);
        if (!grown)
            return NULL;
        b->subs = grown;
        b->cap_subs = cap;
    }
    decl_submission *s = decl_submission_new(DECL_SOURCE_CSV);
    if (!s)
        return NULL;
    memcpy(s->provider_agb, agb->text, DECL_AGB_LEN + 1);
    memcpy(s->reference, ref->text, ref->len + 1);
    b->subs[b->n_subs++] = s;
    c->slots[k] = (uint32_t)b->n_subs;
    return c->last = s;
}

/** Rejects the file at the current row; the message gets "line N: " in front. */
static void fail(csv_ctx *c, lv_code code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail(csv_ctx *c, lv_code code, const char *field, const char *fmt, ...)
{
    char msg[sizeof c->err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lv_error_set(c->err, code, c->row_line, field, "line %d: %s", c->row_line, msg);
    c->failed = true;
}

static void read_header(csv_ctx *c)
{
    c->header_done = true;
    char shown[CELL_KEEP + 1];
    for (size_t i = 0; i < CSV_NCOLS; i++) {
        if (i >= c->n_fields) {
            fail(c, LV_9210_HEADER_MISMATCH, COLUMNS[i],
                 "the header lacks column '%s'; it must be: provider_agb,reference,line_ref,"
                 "client_bsn,prestatie,date_from,date_to,minutes,travel_cents,debit_credit,"
                 "corrects_ref",
                 COLUMNS[i]);
            return;
        }
        const csv_cell *cell = &c->cells[i];
        if (cell->len != strlen(COLUMNS[i]) || strcmp(cell->text, COLUMNS[i]) != 0) {
            text_quote(shown, sizeof shown, cell->text, cell->len);
            fail(c, LV_9210_HEADER_MISMATCH, COLUMNS[i],
                 "the header has '%s' where column %zu, '%s', belongs", shown, i + 1, COLUMNS[i]);
            return;
        }
    }
    if (c->n_fields > CSV_NCOLS)
        fail(c, LV_9210_HEADER_MISMATCH, "",
             "the header has %zu columns; it must have exactly 11, ending in corrects_ref",
             c->n_fields);
}

/** Records value defect @a code of column @a col, with the value read (as far as kept). */
static void cell_defect(decl_line *line, const csv_cell *cell, size_t col, int code)
{
    decl_line_set_defect_value(line, code, COLUMNS[col], cell->text,
                               cell->len < CELL_KEEP ? cell->len : CELL_KEEP);
}

/** Copies a text cell into a line field; absent or unfit values become value defects
 *  (@a bad for a value that does not fit or holds a control character). */
static void take_text(decl_line *line, const csv_cell *cell, size_t col, char *dst, size_t cap,
                      bool required, int bad)
{
    if (cell->len == 0) {
        if (required)
            decl_line_set_defect(line, LV_9107_FIELD_MISSING, COLUMNS[col]);
        return;
    }
    if (cell->len >= cap || text_has_control(cell->text, cell->len)) {
        cell_defect(line, cell, col, bad);
        return;
    }
    memcpy(dst, cell->text, cell->len + 1);
}

static void take_date(decl_line *line, const csv_cell *cell, size_t col, lv_date *out)
{
    if (cell->len == 0)
        decl_line_set_defect(line, LV_9107_FIELD_MISSING, COLUMNS[col]);
    else if (cell->len != 10 || !lv_date_parse_iso(cell->text, out))
        cell_defect(line, cell, col, LV_8007_SERVICE_DATE_INVALID);
}

static void read_row(csv_ctx *c)
{
    const csv_cell *cells = c->cells;
    if (c->n_fields != CSV_NCOLS) {
        fail(c, LV_9208_CSV_SYNTAX, c->n_fields < CSV_NCOLS ? COLUMNS[c->n_fields] : "",
             "%zu columns where the header has 11", c->n_fields);
        return;
    }
    const csv_cell *agb = &cells[COL_AGB], *ref = &cells[COL_REFERENCE];
    if (agb->len != DECL_AGB_LEN || !text_all_digits(agb->text, agb->len)) {
        fail(c, agb->len == 0 ? LV_9107_FIELD_MISSING : LV_9108_FIELD_INVALID, COLUMNS[COL_AGB],
             "provider_agb must be 8 digits");
        return;
    }
    if (ref->len == 0 || ref->len > DECL_REF_MAX || text_has_control(ref->text, ref->len)) {
        fail(c, ref->len == 0 ? LV_9107_FIELD_MISSING : LV_9108_FIELD_INVALID,
             COLUMNS[COL_REFERENCE],
             "reference must be 1 to 20 characters without control characters");
        return;
    }
    decl_submission *sub = find_or_add(c, agb, ref);
    if (!sub) {
        fail(c, LV_HTTP_INTERNAL, "", "out of memory");
        return;
    }
    if (c->max_lines > 0 && sub->n_lines >= c->max_lines) {
        char shown[CELL_KEEP + 1];
        text_quote(shown, sizeof shown, sub->reference, strlen(sub->reference));
        fail(c, LV_9207_TOO_MANY_LINES, "", "submission '%s' holds more than %zu lines", shown,
             c->max_lines);
        return;
    }
    decl_line *line = decl_submission_add_line(sub);
    if (!line) {
        fail(c, LV_HTTP_INTERNAL, "", "out of memory");
        return;
    }
    c->n_rows++;
    line->source_line_no = c->row_line;

    take_text(line, &cells[COL_LINE_REF], COL_LINE_REF, line->line_ref, sizeof line->line_ref, true,
              LV_9108_FIELD_INVALID);
    const csv_cell *bsn = &cells[COL_BSN];
    if (bsn->len == 0)
        decl_line_set_defect(line, LV_9107_FIELD_MISSING, COLUMNS[COL_BSN]);
    else if (bsn->len != DECL_BSN_LEN || !text_all_digits(bsn->text, bsn->len))
        cell_defect(line, bsn, COL_BSN, LV_0435_BSN_INVALID);
    else
        memcpy(line->client_bsn, bsn->text, DECL_BSN_LEN + 1);
    take_text(line, &cells[COL_PRESTATIE], COL_PRESTATIE, line->prestatie, sizeof line->prestatie,
              true, LV_0582_PRESTATIE_UNKNOWN);
    take_date(line, &cells[COL_DATE_FROM], COL_DATE_FROM, &line->date_from);
    take_date(line, &cells[COL_DATE_TO], COL_DATE_TO, &line->date_to);

    const csv_cell *min = &cells[COL_MINUTES];
    if (min->len == 0)
        decl_line_set_defect(line, LV_9107_FIELD_MISSING, COLUMNS[COL_MINUTES]);
    else if (!text_parse_uint(min->text, min->len, &line->quantity))
        cell_defect(line, min, COL_MINUTES, LV_0638_QUANTITY_INVALID);
    line->quantity_declared = line->quantity;

    /* A negative travel amount rejects the line (0638, as a negative quantity does); text
     * that is no number at all is an invalid field (9108). */
    const csv_cell *travel = &cells[COL_TRAVEL];
    if (travel->len > 0 && !text_parse_uint(travel->text, travel->len, &line->travel_cents)) {
        bool negative = travel->len > 1 && travel->text[0] == '-' &&
                        text_all_digits(travel->text + 1, travel->len - 1);
        cell_defect(line, travel, COL_TRAVEL,
                    negative ? LV_0638_QUANTITY_INVALID : LV_9108_FIELD_INVALID);
    }

    const csv_cell *dc = &cells[COL_DC];
    if (dc->len == 1 && (dc->text[0] == 'D' || dc->text[0] == 'C'))
        line->debit_credit = dc->text[0];
    else
        cell_defect(line, dc, COL_DC, LV_0631_DEBIT_CREDIT_MISSING);

    take_text(line, &cells[COL_CORRECTS], COL_CORRECTS, line->corrects_ref,
              sizeof line->corrects_ref, false, LV_9108_FIELD_INVALID);
}

static void on_field(void *s, size_t len, void *data)
{
    csv_ctx *c = data;
    if (c->failed)
        return;
    if (c->n_fields == 0)
        c->row_line = c->line;
    const char *p = s ? s : "";
    if (!s)
        len = 0;
    /* A quoted field may span lines: count its newlines to keep the physical line number
     * right. Fields are short, so a plain loop beats a memchr call per field; and a file
     * without any quote (the common case) needs no count at all. */
    if (c->has_quotes)
        for (size_t i = 0; i < len; i++)
            c->line += p[i] == '\n';
    if (c->n_fields < CSV_NCOLS) {
        csv_cell *cell = &c->cells[c->n_fields];
        size_t keep = len < CELL_KEEP ? len : CELL_KEEP;
        memcpy(cell->text, p, keep);
        cell->text[keep] = '\0';
        cell->len = len;
    }
    c->n_fields++;
}

/* With CSV_REPALL_NL libcsv reports every unquoted CR and LF, also those that end no row
 * (blank lines, the LF of a CRLF): that is what lets us count physical lines. */
static void on_row(int term, void *data)
{
    csv_ctx *c = data;
    if (c->failed)
        return;
    if (c->n_fields > 0) {
        if (!c->header_done)
            read_header(c);
        else
            read_row(c);
        c->n_fields = 0;
    }
    if (term == '\n')
        c->line++;
}

decl_batch *csv_decl_parse(const char *data, size_t len, size_t max_lines, lv_error *err)
{
    if (!data)
        len = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    size_t bad;
    if (len > 0 && !text_utf8_valid(data, len, &bad)) {
        int line = text_line_of(data, bad);
        lv_error_set(err, LV_9206_ENCODING_INVALID, line, "",
                     "line %d: byte %zu is not valid UTF-8 text (or is a NUL byte)", line, bad + 1);
        return NULL;
    }

    csv_ctx c = {.err = err, .max_lines = max_lines, .line = 1};
    c.has_quotes = len > 0 && memchr(data, '"', len) != NULL;
    c.batch = calloc(1, sizeof *c.batch);
    struct csv_parser p;
    if (!c.batch || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0) {
        free(c.batch);
        lv_error_set(err, LV_HTTP_INTERNAL, 0, "", "out of memory");
        return NULL;
    }
    /* libcsv's field buffer holds each field in turn, BSNs included: wiped as it grows and
     * when it is freed. */
    csv_set_realloc_func(&p, lv_wipe_realloc);
    csv_set_free_func(&p, lv_wipe_free);
    /* Fed in chunks so that a defect found in a callback stops the work early. */
    for (size_t off = 0; off < len && !c.failed; off += FEED_CHUNK) {
        size_t n = len - off < FEED_CHUNK ? len - off : FEED_CHUNK;
        size_t done = csv_parse(&p, data + off, n, on_field, on_row, &c);
        if (done != n && !c.failed) {
            int line = text_line_of(data, off + done);
            lv_error_set(err, csv_error(&p) == CSV_EPARSE ? LV_9208_CSV_SYNTAX : LV_HTTP_INTERNAL,
                         line, "",
                         "line %d: a quote inside an unquoted field, or text after a "
                         "closing quote (%s)",
                         line, csv_strerror(csv_error(&p)));
            c.failed = true;
        }
    }
    if (!c.failed && csv_fini(&p, on_field, on_row, &c) != 0 && !c.failed) {
        lv_error_set(err, LV_9208_CSV_SYNTAX, c.line, "",
                     "line %d: the file ends inside a quoted field", c.line);
        c.failed = true;
    }
    csv_free(&p);
    free(c.slots);
    if (!c.failed && c.n_rows == 0) {
        lv_error_set(err, LV_9211_EMPTY_SUBMISSION, 0, "",
                     c.header_done ? "the file holds a header but no declaration lines"
                                   : "the file is empty");
        c.failed = true;
    }
    if (c.failed) {
        decl_batch_free(c.batch);
        return NULL;
    }
    return c.batch;
}
