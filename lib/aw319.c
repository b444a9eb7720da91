/*
 * aw319.c: the Vektis AW319 fixed-width parser. It owns the record layout (the field
 * table below, positions from doc/domain.md), the record order rules and the trailer checks.
 *
 * Files as providers' software writes them: ASCII or ISO-8859-1 (names with accents in
 * 02 and 03 records) or UTF-8, lines ending in CRLF or LF, and at the end optionally an
 * empty line or a Ctrl-Z (0x1A). A file that is valid UTF-8 is read as UTF-8 and its
 * positions count characters; any other file (without NUL bytes) is ISO-8859-1 and its
 * positions count bytes. Real ISO-8859-1 names are never valid UTF-8 (an accented letter
 * would need continuation bytes, which ISO-8859-1 uses for controls and symbols), so the
 * test decides reliably. Text fields that are kept are converted to UTF-8.
 *
 * A file is rejected whole (NULL plus an lv_error naming code, record number and
 * field) for a *structural* defect, one that makes the file as a whole untrustworthy:
 *   - a NUL byte (9206); no records or no 04 lines (9211);
 *   - a record that is not 310 characters (9201); a type other than 01/02/03/04/98/99
 *     (9202);
 *   - records out of order (9203): exactly one 01 first, exactly one 99 last, every 04
 *     under a 02, at most one 03 per 02 and before that client's 04 lines, and the BSN of a
 *     04 equal to the BSN of its 02 (a line filed under the wrong client record is an order
 *     defect, not a value defect: the file's grouping lies);
 *   - a non-digit in a numeric (N) field that is read (9204). Blanks are not non-digits:
 *     a numeric field of spaces only is "absent" (see the value defects below). The one
 *     exception is a quantity written as a negative number ("-030"): it is a quantity
 *     that is not above 0, which rejects that line alone (0638), as in JSON and CSV;
 *   - a header that is not sound: zorgkantoor and AGB not digits (9204), a period date that
 *     does not exist or ends before it begins (9205), a period across two years (9110) or
 *     two months (9104), an empty invoice number (9107) or one longer than 20 bytes (9108);
 *   - a 04 line whose (valid) service date lies outside the header's year (9110): a file
 *     holds one calendar year only. Dates in other months of that year are allowed, since
 *     corrections of earlier months travel in later files;
 *   - more 04 records than max_lines (9207);
 *   - a trailer that does not match the body: the count of 02 records @3 (0151), of 03
 *     records @9 (0157), of 04 records @15 (0158), of 98 records @21 (0153), of all of
 *     them @27 (0156), or the total declared amount @34 with its sign @45 (0150). The
 *     message names the trailer field and both numbers. The header and the trailer itself
 *     are not counted.
 * A *value* defect inside a sound 04 record keeps the line and records the first defect
 * (left to right) with the value read, for validation to reject that line alone:
 *   BSN blank or all zeros 9107, otherwise not 9 digits 0435 (the value masked); a date of
 *   spaces 9107 or digits that are no date (20261032) 8007; prestatie, quantity, time
 *   unit, declared amount or line reference absent 9107; a prestatie holding a control
 *   character 0582 (no such code exists); a line reference longer than 20 bytes, or text
 *   holding a control character, 9108; debit/credit @194 neither 'D' nor 'C' 0631 (the
 *   amount then counts as a debit in the trailer total). A blank tariff (@165) reads as 0.
 *
 * Personal data the monitor has no use for is never read: the 03 debtor record (names,
 * addresses, bank account) is counted and checked for its place, and nothing of its
 * content reaches the submission, a message or a log; nor do the names of a 02 record.
 *
 * Choices where the sources are silent:
 *   - The provider AGB is read from @39; @47 (practice) and @55 (establishment) are not read.
 *   - Alphanumeric fields are trimmed of spaces at both ends.
 *   - The trailer total is the signed sum of the 04 declared amounts (@186 N8, sign
 *     @194): 'C' subtracts.
 *   - The calculated amount (@173/@181) is not read: the monitor prices lines itself.
 *   - Any run of CR/LF at the very end of the file is ignored, before and after one final
 *     Ctrl-Z; an empty record anywhere else is a 9201.
 * quantity stays 0: the unit mapping (time_unit -> minutes) is reference data, applied in
 * validation, so quantity_declared and time_unit carry what the file says.
 */
#include "aw319.h"

#include <stdint.h>
#include <string.h>

#include "money.h"
#include "text.h"

/** One field of the layout: 1-based start position, length in characters, and a name. */
typedef struct {
    int pos;
    int len;
    const char *name;
} aw_field;

static const aw_field F_TYPE = {1, 2, "record_type"};
/* 01 header */
static const aw_field F_H_ZORGKANTOOR = {27, 4, "zorgkantoor"};
static const aw_field F_H_AGB = {39, 8, "provider_agb"};
static const aw_field F_H_BEGIN = {65, 8, "period_from"};
static const aw_field F_H_END = {73, 8, "period_to"};
static const aw_field F_H_INVOICE = {81, 12, "reference"};
/* 02 client */
static const aw_field F_C_BSN = {15, 9, "client_bsn"};
/* 04 service line */
static const aw_field F_L_BSN = {15, 9, "client_bsn"};
static const aw_field F_L_BEGIN = {106, 8, "date_from"};
static const aw_field F_L_END = {114, 8, "date_to"};
static const aw_field F_L_PRESTATIE = {125, 5, "prestatie"};
static const aw_field F_L_QUANTITY = {130, 4, "quantity"};
static const aw_field F_L_UNIT = {134, 2, "time_unit"};
static const aw_field F_L_TARIFF = {165, 8, "tariff"};
static const aw_field F_L_DECLARED = {186, 8, "declared_amount"};
static const aw_field F_L_DC = {194, 1, "debit_credit"};
static const aw_field F_L_REF = {195, 20, "line_ref"};
static const aw_field F_L_CORRECTS = {215, 20, "corrects_ref"};
/* 99 trailer */
static const aw_field F_T_N02 = {3, 6, "client_count"};
static const aw_field F_T_N03 = {9, 6, "debtor_count"};
static const aw_field F_T_N04 = {15, 6, "service_count"};
static const aw_field F_T_N98 = {21, 6, "comment_count"};
static const aw_field F_T_DETAIL = {27, 7, "detail_count"};
static const aw_field F_T_TOTAL = {34, 11, "total_declared"};
static const aw_field F_T_TOTAL_DC = {45, 1, "total_debit_credit"};

/** One record, located in the input (not copied). */
typedef struct {
    const char *p;
    size_t blen; /* bytes, without the line terminator */
    int no;      /* 1-based record number */
    bool bytes;  /* positions are byte offsets (ASCII or ISO-8859-1) and off[] is unused */
    uint16_t off[AW319_RECORD_LEN + 1]; /* byte offset of each character (310 x 4 < 65536) */
} aw_rec;

typedef struct {
    decl_submission *sub;
    lv_error *err;
    size_t max_lines;
    bool latin1; /* the file is ISO-8859-1: positions count bytes, kept text is converted */
    int year;    /* of the header period */
    bool have_header;
    bool have_trailer;
    bool have_client;
    bool client_has_debtor; /* the current 02 already has its 03 */
    bool client_has_lines;  /* the current 02 already has a 04 */
    char client_raw[4 * 9]; /* the current 02's BSN bytes, to compare 04 records with */
    size_t client_raw_len;
    int64_t n02, n03, n04, n98;
    int64_t total; /* signed sum of declared amounts */
} aw_ctx;

/** The bytes of @a f in @a r. Only called on records of exactly 310 characters. */
static void slice(const aw_rec *r, aw_field f, const char **s, size_t *n)
{
    if (r->bytes) {
        *s = r->p + (f.pos - 1);
        *n = (size_t)f.len;
    } else {
        *s = r->p + r->off[f.pos - 1];
        *n = (size_t)(r->off[f.pos - 1 + f.len] - r->off[f.pos - 1]);
    }
}

/**
 * Counts the characters of @a r and fills the offset table when it is UTF-8 beyond ASCII.
 * @param latin1  the file is ISO-8859-1: one byte is one character
 * @return true when the record has exactly 310 characters; *chars gets the count.
 */
static bool measure(aw_rec *r, bool latin1, size_t *chars)
{
    r->bytes = true;
    for (size_t i = 0; i < r->blen && !latin1; i++)
        if ((unsigned char)r->p[i] >= 0x80) {
            r->bytes = false;
            break;
        }
    if (r->bytes) {
        *chars = r->blen;
        return r->blen == AW319_RECORD_LEN;
    }
    /* The input is valid UTF-8 (checked up front): characters are the non-continuation
     * bytes. Offsets are kept for the first 310 only; the count goes on for the message. */
    size_t n = 0;
    for (size_t i = 0; i < r->blen; i++) {
        if (((unsigned char)r->p[i] & 0xC0) == 0x80)
            continue;
        if (n < AW319_RECORD_LEN)
            r->off[n] = (uint16_t)i;
        n++;
    }
    *chars = n;
    if (n != AW319_RECORD_LEN)
        return false;
    r->off[AW319_RECORD_LEN] = (uint16_t)r->blen;
    return true;
}

typedef enum { NUM_OK, NUM_BLANK, NUM_BAD } num_state;

/** Reads an N field: digits (a value), spaces only (absent) or anything else (bad). */
static num_state read_num(const aw_rec *r, aw_field f, int64_t *out)
{
    const char *s;
    size_t n;
    slice(r, f, &s, &n);
    if (text_all_spaces(s, n)) {
        *out = 0;
        return NUM_BLANK;
    }
    return text_parse_uint(s, n, out) ? NUM_OK : NUM_BAD;
}

static bool fail_number(aw_ctx *c, const aw_rec *r, aw_field f)
{
    const char *s;
    size_t n;
    char shown[32];
    slice(r, f, &s, &n);
    /* Never echo a BSN: it must not reach a log. */
    if (strcmp(f.name, F_L_BSN.name) == 0)
        strcpy(shown, "(not shown)");
    else
        text_quote(shown, sizeof shown, s, n);
    lv_error_set(c->err, LV_9204_NUMBER_INVALID, r->no, f.name,
                 "record %d: %s (position %d, N%d) is not a number: '%s'", r->no, f.name, f.pos,
                 f.len, shown);
    return false;
}

/** Reads an N field that must hold digits (blank is a defect too). */
static bool need_num(aw_ctx *c, const aw_rec *r, aw_field f, int64_t *out)
{
    if (read_num(r, f, out) == NUM_OK)
        return true;
    return fail_number(c, r, f);
}

/**
 * Copies a trimmed AN field into @a dst (capacity @a cap), as UTF-8.
 * @return false when it does not fit or holds a control character (a tab or CR inside an
 *         identifier would travel on into logs, CSV exports and SQL).
 */
static bool copy_text(const aw_ctx *c, const aw_rec *r, aw_field f, char *dst, size_t cap,
                      size_t *len_out)
{
    const char *s;
    size_t n;
    slice(r, f, &s, &n);
    text_trim(&s, &n);
    *len_out = n;
    if (c->latin1)
        return text_latin1_to_utf8(s, n, dst, cap) != SIZE_MAX;
    if (n >= cap || text_has_control(s, n)) {
        dst[0] = '\0';
        return false;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
    return true;
}

/** Records value defect @a code of field @a f of a 04 record, with the value read. */
static void line_defect(const aw_rec *r, aw_field f, decl_line *line, int code)
{
    const char *s;
    size_t n;
    slice(r, f, &s, &n);
    text_trim(&s, &n);
    decl_line_set_defect_value(line, code, f.name, s, n);
}

static bool parse_header(aw_ctx *c, const aw_rec *r)
{
    decl_submission *sub = c->sub;
    int64_t v;
    const char *s;
    size_t n;

    if (!need_num(c, r, F_H_ZORGKANTOOR, &v))
        return false;
    slice(r, F_H_ZORGKANTOOR, &s, &n);
    memcpy(sub->zorgkantoor, s, DECL_ZORGKANTOOR_LEN);
    sub->zorgkantoor[DECL_ZORGKANTOOR_LEN] = '\0';

    if (!need_num(c, r, F_H_AGB, &v))
        return false;
    slice(r, F_H_AGB, &s, &n);
    memcpy(sub->provider_agb, s, DECL_AGB_LEN);
    sub->provider_agb[DECL_AGB_LEN] = '\0';

    const aw_field dates[2] = {F_H_BEGIN, F_H_END};
    lv_date *targets[2] = {&sub->period_from, &sub->period_to};
    for (int i = 0; i < 2; i++) {
        if (!need_num(c, r, dates[i], &v))
            return false;
        slice(r, dates[i], &s, &n);
        if (!lv_date_parse_compact(s, targets[i])) {
            lv_error_set(c->err, LV_9205_DATE_INVALID, r->no, dates[i].name,
                         "record %d: header %s '%.8s' is not a calendar date", r->no, dates[i].name,
                         s);
            return false;
        }
    }
    int y1, m1, d1, y2, m2, d2;
    lv_date_to_ymd(sub->period_from, &y1, &m1, &d1);
    lv_date_to_ymd(sub->period_to, &y2, &m2, &d2);
    if (sub->period_to < sub->period_from) {
        lv_error_set(c->err, LV_9205_DATE_INVALID, r->no, F_H_END.name,
                     "record %d: the declaration period ends before it begins", r->no);
        return false;
    }
    if (y1 != y2) {
        lv_error_set(c->err, LV_9110_YEAR_MIXED, r->no, F_H_END.name,
                     "record %d: the declaration period spans the years %d and %d; a "
                     "file covers one calendar month",
                     r->no, y1, y2);
        return false;
    }
    if (m1 != m2) {
        lv_error_set(c->err, LV_9104_DATES_SPAN_MONTHS, r->no, F_H_END.name,
                     "record %d: the declaration period spans more than one month; a "
                     "file covers one calendar month",
                     r->no);
        return false;
    }
    c->year = y1;

    size_t len;
    if (!copy_text(c, r, F_H_INVOICE, sub->reference, sizeof sub->reference, &len)) {
        lv_error_set(c->err, LV_9108_FIELD_INVALID, r->no, F_H_INVOICE.name,
                     "record %d: the invoice number is longer than %d bytes or holds "
                     "a control character",
                     r->no, DECL_REF_MAX);
        return false;
    }
    if (len == 0) {
        lv_error_set(c->err, LV_9107_FIELD_MISSING, r->no, F_H_INVOICE.name,
                     "record %d: the invoice number (position %d) is empty; it is the "
                     "reference of the submission",
                     r->no, F_H_INVOICE.pos);
        return false;
    }
    return true;
}

static void parse_client(aw_ctx *c, const aw_rec *r)
{
    const char *s;
    size_t n;
    slice(r, F_C_BSN, &s, &n);
    /* n <= 36: nine characters of at most four bytes each */
    memcpy(c->client_raw, s, n);
    c->client_raw_len = n;
    c->have_client = true;
    c->client_has_debtor = false;
    c->client_has_lines = false;
}

/** A 03 debtor record: counted and checked for its place; its content is never read. */
static bool parse_debtor(aw_ctx *c, const aw_rec *r)
{
    const char *why = NULL;
    if (!c->have_client)
        why = "a 03 debtor record must follow a 02 client record";
    else if (c->client_has_debtor)
        why = "a second 03 debtor record under the same 02 client record; it has at most one";
    else if (c->client_has_lines)
        why = "a 03 debtor record must come before the 04 service lines of its client";
    if (why) {
        lv_error_set(c->err, LV_9203_RECORD_ORDER, r->no, F_TYPE.name, "record %d: %s", r->no, why);
        return false;
    }
    c->client_has_debtor = true;
    c->n03++;
    return true;
}

/**
 * Reads an N field of a 04 record: blanks are a value defect (9107) of the line, a non-digit
 * rejects the file.
 * @return false when the file is rejected; *present says whether digits were read.
 */
static bool line_num(aw_ctx *c, const aw_rec *r, aw_field f, decl_line *line, int64_t *out,
                     bool *present)
{
    num_state st = read_num(r, f, out);
    if (st == NUM_BAD)
        return fail_number(c, r, f);
    *present = st == NUM_OK;
    if (!*present)
        decl_line_set_defect(line, LV_9107_FIELD_MISSING, f.name);
    return true;
}

/** Reads a 04 service date: value defects go to the line, N defects and years fail. */
static bool line_date(aw_ctx *c, const aw_rec *r, aw_field f, decl_line *line, lv_date *out)
{
    int64_t v;
    bool present = false;
    if (!line_num(c, r, f, line, &v, &present))
        return false;
    if (!present)
        return true;
    const char *s;
    size_t n;
    slice(r, f, &s, &n);
    if (!lv_date_parse_compact(s, out)) {
        decl_line_set_defect_value(line, LV_8007_SERVICE_DATE_INVALID, f.name, s, n);
        return true;
    }
    int y, m, d;
    lv_date_to_ymd(*out, &y, &m, &d);
    if (y != c->year) {
        lv_error_set(c->err, LV_9110_YEAR_MIXED, r->no, f.name,
                     "record %d: %s is in %d but the file's period is in %d; a file "
                     "holds one calendar year only",
                     r->no, f.name, y, c->year);
        return false;
    }
    return true;
}

/** Reads a trimmed AN field of a 04 record into @a dst; @a bad is the defect of a value
 *  that does not fit or holds a control character. */
static void line_text(const aw_ctx *c, const aw_rec *r, aw_field f, decl_line *line, char *dst,
                      size_t cap, bool required, int bad)
{
    size_t len;
    if (!copy_text(c, r, f, dst, cap, &len))
        line_defect(r, f, line, bad);
    else if (len == 0 && required)
        decl_line_set_defect(line, LV_9107_FIELD_MISSING, f.name);
}

/** Reads the quantity (N4). A negative number ("-030") is a quantity that is not above 0:
 *  a value defect of the line (0638), as in JSON and CSV. @return false when the file is
 *  rejected. */
static bool line_quantity(aw_ctx *c, const aw_rec *r, decl_line *line)
{
    const char *s;
    size_t n;
    bool present = false;
    slice(r, F_L_QUANTITY, &s, &n);
    if (n > 1 && s[0] == '-' && text_all_digits(s + 1, n - 1)) {
        line_defect(r, F_L_QUANTITY, line, LV_0638_QUANTITY_INVALID);
        return true;
    }
    return line_num(c, r, F_L_QUANTITY, line, &line->quantity_declared, &present);
}

static bool parse_line(aw_ctx *c, const aw_rec *r)
{
    const char *s;
    size_t n;

    if (!c->have_client) {
        lv_error_set(c->err, LV_9203_RECORD_ORDER, r->no, F_TYPE.name,
                     "record %d: a 04 service line must follow a 02 client record", r->no);
        return false;
    }
    c->n04++;
    c->client_has_lines = true;
    if (c->max_lines > 0 && (uint64_t)c->n04 > (uint64_t)c->max_lines) {
        lv_error_set(c->err, LV_9207_TOO_MANY_LINES, r->no, "",
                     "record %d: the file holds more than %zu service lines", r->no, c->max_lines);
        return false;
    }
    slice(r, F_L_BSN, &s, &n);
    if (n != c->client_raw_len || memcmp(s, c->client_raw, n) != 0) {
        lv_error_set(c->err, LV_9203_RECORD_ORDER, r->no, F_L_BSN.name,
                     "record %d: the BSN of this 04 line differs from that of the 02 "
                     "client record above it",
                     r->no);
        return false;
    }

    decl_line *line = decl_submission_add_line(c->sub);
    if (!line) {
        lv_error_set(c->err, LV_HTTP_INTERNAL, r->no, "", "out of memory");
        return false;
    }
    line->source_line_no = r->no;

    /* Fields in position order, so the first value defect is the leftmost. */
    if (n == DECL_BSN_LEN && text_all_digits(s, n)) {
        if (memcmp(s, "000000000", DECL_BSN_LEN) == 0) {
            decl_line_set_defect(line, LV_9107_FIELD_MISSING, F_L_BSN.name);
        } else {
            memcpy(line->client_bsn, s, DECL_BSN_LEN);
            line->client_bsn[DECL_BSN_LEN] = '\0';
        }
    } else if (text_all_spaces(s, n)) {
        decl_line_set_defect(line, LV_9107_FIELD_MISSING, F_L_BSN.name);
    } else {
        line_defect(r, F_L_BSN, line, LV_0435_BSN_INVALID);
    }

    if (!line_date(c, r, F_L_BEGIN, line, &line->date_from) ||
        !line_date(c, r, F_L_END, line, &line->date_to))
        return false;

    line_text(c, r, F_L_PRESTATIE, line, line->prestatie, sizeof line->prestatie, true,
              LV_0582_PRESTATIE_UNKNOWN);

    if (!line_quantity(c, r, line))
        return false;
    bool present = false;

    int64_t unit;
    if (!line_num(c, r, F_L_UNIT, line, &unit, &present))
        return false;
    if (present) {
        slice(r, F_L_UNIT, &s, &n);
        memcpy(line->time_unit, s, DECL_UNIT_LEN);
        line->time_unit[DECL_UNIT_LEN] = '\0';
    }

    if (read_num(r, F_L_TARIFF, &line->declared_tariff_cents) == NUM_BAD)
        return fail_number(c, r, F_L_TARIFF);

    int64_t amount;
    if (!line_num(c, r, F_L_DECLARED, line, &amount, &present))
        return false;
    slice(r, F_L_DC, &s, &n);
    if (n == 1 && (s[0] == 'D' || s[0] == 'C')) {
        line->debit_credit = s[0];
    } else {
        line_defect(r, F_L_DC, line, LV_0631_DEBIT_CREDIT_MISSING);
    }
    line->has_declared_amount = true;
    line->declared_cents = line->debit_credit == 'C' ? -amount : amount;
    if (!money_add(c->total, line->declared_cents, &c->total)) {
        lv_error_set(c->err, LV_0150_FILE_TOTAL_WRONG, r->no, F_L_DECLARED.name,
                     "record %d: the sum of declared amounts overflows", r->no);
        return false;
    }

    line_text(c, r, F_L_REF, line, line->line_ref, sizeof line->line_ref, true,
              LV_9108_FIELD_INVALID);
    line_text(c, r, F_L_CORRECTS, line, line->corrects_ref, sizeof line->corrects_ref, false,
              LV_9108_FIELD_INVALID);
    return true;
}

static bool check_count(aw_ctx *c, const aw_rec *r, aw_field f, lv_code code, int64_t body,
                        const char *what)
{
    int64_t stated;
    if (!need_num(c, r, f, &stated))
        return false;
    if (stated == body)
        return true;
    lv_error_set(c->err, code, r->no, f.name,
                 "record %d: the file holds %lld %s, but the trailer's %s (position %d) "
                 "states %lld",
                 r->no, (long long)body, what, f.name, f.pos, (long long)stated);
    return false;
}

static bool parse_trailer(aw_ctx *c, const aw_rec *r)
{
    if (!check_count(c, r, F_T_N02, LV_0151_COUNT_CLIENTS_WRONG, c->n02, "client records (02)") ||
        !check_count(c, r, F_T_N03, LV_0157_COUNT_DEBTORS_WRONG, c->n03, "debtor records (03)") ||
        !check_count(c, r, F_T_N04, LV_0158_COUNT_SERVICES_WRONG, c->n04, "service records (04)") ||
        !check_count(c, r, F_T_N98, LV_0153_COUNT_COMMENTS_WRONG, c->n98, "comment records (98)") ||
        !check_count(c, r, F_T_DETAIL, LV_0156_COUNT_DETAILS_WRONG,
                     c->n02 + c->n03 + c->n04 + c->n98, "detail records (02, 03, 04 and 98)"))
        return false;

    int64_t stated;
    if (!need_num(c, r, F_T_TOTAL, &stated))
        return false;
    const char *s;
    size_t n;
    slice(r, F_T_TOTAL_DC, &s, &n);
    if (n != 1 || (s[0] != 'D' && s[0] != 'C')) {
        lv_error_set(c->err, LV_0150_FILE_TOTAL_WRONG, r->no, F_T_TOTAL_DC.name,
                     "record %d: the sign of the trailer total (position %d) must be D "
                     "or C",
                     r->no, F_T_TOTAL_DC.pos);
        return false;
    }
    if (s[0] == 'C')
        stated = -stated;
    if (stated != c->total) {
        char want[24], got[24];
        lv_error_set(c->err, LV_0150_FILE_TOTAL_WRONG, r->no, F_T_TOTAL.name,
                     "record %d: the declared amounts of the 04 records add up to %s, but "
                     "the trailer's total_declared (position %d) states %s",
                     r->no, money_format(c->total, want), F_T_TOTAL.pos, money_format(stated, got));
        return false;
    }
    return true;
}

static bool parse_record(aw_ctx *c, aw_rec *r)
{
    size_t chars;
    if (!measure(r, c->latin1, &chars)) {
        lv_error_set(c->err, LV_9201_RECORD_LENGTH, r->no, "record",
                     "record %d is %zu characters long; every record has %d", r->no, chars,
                     AW319_RECORD_LEN);
        return false;
    }
    const char *s;
    size_t n;
    slice(r, F_TYPE, &s, &n);
    int type = -1;
    if (n == 2 && text_all_digits(s, 2))
        type = (s[0] - '0') * 10 + (s[1] - '0');
    if (type != 1 && type != 2 && type != 3 && type != 4 && type != 98 && type != 99) {
        char shown[8];
        text_quote(shown, sizeof shown, s, n);
        lv_error_set(c->err, LV_9202_RECORD_TYPE_UNKNOWN, r->no, F_TYPE.name,
                     "record %d has the unknown record type '%s'", r->no, shown);
        return false;
    }
    if (c->have_trailer) {
        lv_error_set(c->err, LV_9203_RECORD_ORDER, r->no, F_TYPE.name,
                     "record %d follows the 99 trailer, which must be the last record", r->no);
        return false;
    }
    if (!c->have_header && type != 1) {
        lv_error_set(c->err, LV_9203_RECORD_ORDER, r->no, F_TYPE.name,
                     "record %d: the file must start with a 01 header record", r->no);
        return false;
    }
    switch (type) {
    case 1:
        if (c->have_header) {
            lv_error_set(c->err, LV_9203_RECORD_ORDER, r->no, F_TYPE.name,
                         "record %d: a second 01 header record; a file holds one", r->no);
            return false;
        }
        c->have_header = true;
        return parse_header(c, r);
    case 2:
        c->n02++;
        parse_client(c, r);
        return true;
    case 3:
        return parse_debtor(c, r);
    case 4:
        return parse_line(c, r);
    case 98:
        c->n98++; /* comments carry nothing the monitor uses */
        return true;
    default:
        c->have_trailer = true;
        return parse_trailer(c, r);
    }
}

/** Drops what may follow the last record: line ends, one Ctrl-Z, line ends again. */
static size_t strip_end(const char *data, size_t len)
{
    while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
        len--;
    if (len > 0 && data[len - 1] == 0x1A)
        len--;
    while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
        len--;
    return len;
}

decl_submission *aw319_parse(const char *data, size_t len, size_t max_lines, lv_error *err)
{
    size_t bad;
    if (!data)
        len = 0;
    const char *nul = len > 0 ? memchr(data, '\0', len) : NULL;
    if (nul) {
        int line = text_line_of(data, (size_t)(nul - data));
        lv_error_set(err, LV_9206_ENCODING_INVALID, line, "",
                     "record %d: byte %zu is a NUL byte, which no text file holds", line,
                     (size_t)(nul - data) + 1);
        return NULL;
    }
    bool latin1 = len > 0 && !text_utf8_valid(data, len, &bad);
    len = strip_end(data, len);
    if (len == 0) {
        lv_error_set(err, LV_9211_EMPTY_SUBMISSION, 0, "", "the AW319 file is empty");
        return NULL;
    }

    aw_ctx c = {.err = err, .max_lines = max_lines, .latin1 = latin1};
    c.sub = decl_submission_new(DECL_SOURCE_AW319);
    if (!c.sub) {
        lv_error_set(err, LV_HTTP_INTERNAL, 0, "", "out of memory");
        return NULL;
    }
    aw_rec r;
    int no = 0;
    const char *p = data, *end = data + len;
    while (p <= end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        r.p = p;
        r.blen = (size_t)(stop - p);
        if (r.blen > 0 && p[r.blen - 1] == '\r')
            r.blen--;
        if (no == INT32_MAX) {
            lv_error_set(err, LV_9207_TOO_MANY_LINES, no, "", "too many records");
            goto fail;
        }
        r.no = ++no;
        if (!parse_record(&c, &r))
            goto fail;
        if (!nl)
            break;
        p = nl + 1;
    }
    if (!c.have_trailer) {
        lv_error_set(err, LV_9203_RECORD_ORDER, no, F_TYPE.name,
                     "the file ends after record %d without a 99 trailer record", no);
        goto fail;
    }
    if (c.sub->n_lines == 0) {
        lv_error_set(err, LV_9211_EMPTY_SUBMISSION, 0, "", "the file holds no 04 service lines");
        goto fail;
    }
    return c.sub;
fail:
    decl_submission_free(c.sub);
    return NULL;
}
