/*
 * check_aw319.c: Check suite for lib/aw319.c. Two sources of input:
 *   - the hand-made files in tests/data/aw319/ (written by make_files.py there, with the
 *     record builder aw319_layout.py, from the published layout and not from any project
 *     code): the valid file is checked field by field, each defect file for its exact code,
 *     record and field, and the files as providers' software writes them (ISO-8859-1 names,
 *     a debtor record, comments, CRLF or LF, a closing Ctrl-Z) for every line and count;
 *   - a small builder (aw_*) that composes 310-character records from field values, for the
 *     many cases that differ from the valid file in one place. The builder recomputes the
 *     trailer after a change of the body, so a case tests one thing only.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aw319.h"
#include "unit_runner.h"

/* Case rows leave their trailing optional columns (tail, value) out. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#ifndef LVHCMON_TEST_DATA_DIR
#define LVHCMON_TEST_DATA_DIR "tests/data"
#endif

/* ---- the record builder ----------------------------------------------------------------- */

#define AW_MAX_RECORDS 32
#define AW_MAX_BYTES 400

typedef struct {
    char rec[AW_MAX_RECORDS][AW_MAX_BYTES];
    size_t len[AW_MAX_RECORDS]; /* bytes; 310 unless a case says otherwise */
    int n;
} aw_file;

/** Appends a record of spaces with the type in positions 1-2. */
static char *aw_add(aw_file *f, int type)
{
    ck_assert_int_lt(f->n, AW_MAX_RECORDS);
    char *r = f->rec[f->n];
    memset(r, ' ', AW319_RECORD_LEN);
    r[0] = (char)('0' + type / 10);
    r[1] = (char)('0' + type % 10);
    f->len[f->n++] = AW319_RECORD_LEN;
    return r;
}

/** N field: right-aligned, zero-padded. */
static void put_n(char *r, int pos, int len, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%0*lld", len, v);
    ck_assert_int_eq((int)strlen(buf), len);
    memcpy(r + pos - 1, buf, (size_t)len);
}

/** AN field: left-aligned, space-padded; also used to write raw text into an N field. */
static void put_s(char *r, int pos, int len, const char *s)
{
    size_t n = strlen(s);
    ck_assert_int_le((int)n, len);
    memset(r + pos - 1, ' ', (size_t)len);
    memcpy(r + pos - 1, s, n);
}

static void aw_header(aw_file *f, const char *begin, const char *end, const char *invoice)
{
    char *r = aw_add(f, 1);
    put_n(r, 27, 4, 5512);
    put_n(r, 39, 8, 41000001);
    put_n(r, 47, 8, 41000001);
    put_n(r, 55, 8, 41000001);
    put_s(r, 65, 8, begin);
    put_s(r, 73, 8, end);
    put_s(r, 81, 12, invoice);
}

static void aw_client(aw_file *f, const char *bsn)
{
    put_s(aw_add(f, 2), 15, 9, bsn);
}

static void aw_line(aw_file *f, const char *bsn, const char *begin, const char *end,
                    const char *prestatie, int qty, const char *unit, long long amount,
                    const char *dc, const char *ref, const char *corrects)
{
    char *r = aw_add(f, 4);
    put_s(r, 15, 9, bsn);
    put_s(r, 106, 8, begin);
    put_s(r, 114, 8, end);
    put_s(r, 125, 5, prestatie);
    put_n(r, 130, 4, qty);
    put_s(r, 134, 2, unit);
    put_n(r, 165, 8, 14000);
    put_n(r, 173, 8, amount);
    put_s(r, 181, 1, dc);
    put_n(r, 186, 8, amount);
    put_s(r, 194, 1, dc);
    put_s(r, 195, 20, ref);
    put_s(r, 215, 20, corrects);
}

static void aw_comment(aw_file *f)
{
    put_s(aw_add(f, 98), 3, 60, "Toelichting: C&A oktober");
}

/** A 03 debtor record: name, street, city and bank account, in ISO-8859-1. */
static void aw_debtor(aw_file *f)
{
    char *r = aw_add(f, 3);
    put_s(r, 15, 11, "DEB-0001");
    put_s(r, 36, 25, "M\xFCller-\xD8rsted");
    put_s(r, 76, 24, "Dorpsstraat");
    put_n(r, 100, 5, 4);
    put_s(r, 111, 24, "Hoogeveen");
    put_s(r, 135, 34, "NL91ABNA0417164300");
}

static int rec_type(const aw_file *f, int i)
{
    return (f->rec[i][0] - '0') * 10 + (f->rec[i][1] - '0');
}

/** Writes (or rewrites) the 99 trailer so that it matches the body. */
static void aw_trailer(aw_file *f)
{
    long long n[100] = {0}, total = 0;
    int at = -1;
    for (int i = 0; i < f->n; i++) {
        int t = rec_type(f, i);
        if (t == 99) {
            at = i;
            continue;
        }
        if (t >= 0 && t < 100)
            n[t]++;
        if (t == 4) {
            char buf[9];
            memcpy(buf, f->rec[i] + 185, 8);
            buf[8] = '\0';
            long long amount = strtoll(buf, NULL, 10);
            total += f->rec[i][193] == 'C' ? -amount : amount;
        }
    }
    char *r;
    if (at < 0) {
        r = aw_add(f, 99);
    } else {
        r = f->rec[at];
        memset(r, ' ', AW319_RECORD_LEN);
        r[0] = r[1] = '9';
    }
    put_n(r, 3, 6, n[2]);
    put_n(r, 9, 6, n[3]);
    put_n(r, 15, 6, n[4]);
    put_n(r, 21, 6, n[98]);
    put_n(r, 27, 7, n[2] + n[3] + n[4] + n[98]);
    put_n(r, 34, 11, total < 0 ? -total : total);
    put_s(r, 45, 1, total < 0 ? "C" : "D");
}

/** The content of tests/data/aw319/valid.aw319, built in memory. */
static void aw_standard(aw_file *f)
{
    memset(f, 0, sizeof *f);
    aw_header(f, "20261001", "20261031", "2026-10-A");
    aw_client(f, "123456782");
    aw_line(f, "123456782", "20261001", "20261031", "CAKOR", 210, "01", 47775, "D", "L-0001", "");
    aw_line(f, "123456782", "20261005", "20261005", "CAHUN", 2, "02", 26740, "D", "L-0002", "");
    aw_comment(f);
    aw_client(f, "111222333");
    aw_line(f, "111222333", "20261010", "20261010", "CAGPP", 90, "01", 20000, "D", "L-0003", "");
    aw_line(f, "111222333", "20260901", "20260930", "CAKOR", 60, "01", 13650, "C", "L-0004",
            "L-0099");
    aw_trailer(f);
}

/** @return the file as one malloc'd buffer; *len set. */
static char *aw_serialize(const aw_file *f, const char *sep, int final_sep, size_t *len)
{
    size_t seplen = strlen(sep), total = 0;
    for (int i = 0; i < f->n; i++)
        total += f->len[i] + seplen;
    char *buf = malloc(total + 1), *p = buf;
    ck_assert_ptr_nonnull(buf);
    for (int i = 0; i < f->n; i++) {
        memcpy(p, f->rec[i], f->len[i]);
        p += f->len[i];
        if (i + 1 < f->n || final_sep) {
            memcpy(p, sep, seplen);
            p += seplen;
        }
    }
    *len = (size_t)(p - buf);
    return buf;
}

static char *read_data_file(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/aw319/%s", LVHCMON_TEST_DATA_DIR, name);
    FILE *fp = fopen(path, "rb");
    ck_assert_msg(fp != NULL, "cannot open %s", path);
    char *buf = malloc(1 << 16);
    ck_assert_ptr_nonnull(buf);
    *len = fread(buf, 1, 1 << 16, fp);
    fclose(fp);
    return buf;
}

/* ---- the valid file, field by field ------------------------------------------------------ */

typedef struct {
    int record_no;
    const char *bsn, *from, *to, *prestatie;
    long long qty;
    const char *unit;
    long long declared, tariff;
    char dc;
    const char *ref, *corrects;
} expected_line;

static const expected_line VALID_LINES[] = {
    {3, "123456782", "2026-10-01", "2026-10-31", "CAKOR", 210, "01", 47775, 14000, 'D', "L-0001",
     ""},
    {4, "123456782", "2026-10-05", "2026-10-05", "CAHUN", 2, "02", 26740, 14000, 'D', "L-0002", ""},
    {7, "111222333", "2026-10-10", "2026-10-10", "CAGPP", 90, "01", 20000, 14000, 'D', "L-0003",
     ""},
    {8, "111222333", "2026-09-01", "2026-09-30", "CAKOR", 60, "01", -13650, 14000, 'C', "L-0004",
     "L-0099"},
};

static void assert_valid_content(const decl_submission *sub)
{
    char d[11];
    ck_assert_ptr_nonnull(sub);
    ck_assert_int_eq(sub->source, DECL_SOURCE_AW319);
    ck_assert_str_eq(sub->provider_agb, "41000001");
    ck_assert_str_eq(sub->reference, "2026-10-A");
    ck_assert_str_eq(sub->zorgkantoor, "5512");
    lv_date_format_iso(sub->period_from, d);
    ck_assert_str_eq(d, "2026-10-01");
    lv_date_format_iso(sub->period_to, d);
    ck_assert_str_eq(d, "2026-10-31");
    ck_assert_uint_eq(sub->n_lines, 4);
    for (size_t i = 0; i < 4; i++) {
        const expected_line *e = &VALID_LINES[i];
        const decl_line *l = &sub->lines[i];
        ck_assert_int_eq(l->source_line_no, e->record_no);
        ck_assert_str_eq(l->client_bsn, e->bsn);
        lv_date_format_iso(l->date_from, d);
        ck_assert_str_eq(d, e->from);
        lv_date_format_iso(l->date_to, d);
        ck_assert_str_eq(d, e->to);
        ck_assert_str_eq(l->prestatie, e->prestatie);
        ck_assert_int_eq(l->quantity_declared, e->qty);
        ck_assert_int_eq(l->quantity, 0); /* validation maps the unit */
        ck_assert_str_eq(l->time_unit, e->unit);
        ck_assert(l->has_declared_amount);
        ck_assert_int_eq(l->declared_cents, e->declared);
        ck_assert_int_eq(l->declared_tariff_cents, e->tariff);
        ck_assert_int_eq(l->debit_credit, e->dc);
        ck_assert_str_eq(l->line_ref, e->ref);
        ck_assert_str_eq(l->corrects_ref, e->corrects);
        ck_assert_int_eq(l->travel_cents, 0);
        ck_assert_int_eq(l->parse_code, 0);
        ck_assert_str_eq(l->parse_field, "");
    }
}

START_TEST(valid_file_every_field)
{
    static const char *const files[] = {"valid.aw319", "valid_crlf.aw319"};
    for (size_t i = 0; i < 2; i++) {
        size_t len;
        char *data = read_data_file(files[i], &len);
        lv_error err = {0};
        decl_submission *sub = aw319_parse(data, len, 0, &err);
        ck_assert_msg(sub != NULL, "%s: %s", files[i], err.message);
        assert_valid_content(sub);
        decl_submission_free(sub);
        free(data);
    }
}
END_TEST

START_TEST(builder_matches_committed_file)
{
    /* The builder and make_files.py must agree, or the builder cases test another layout. */
    aw_file f;
    aw_standard(&f);
    size_t built_len, file_len;
    char *built = aw_serialize(&f, "\n", 1, &built_len);
    char *file = read_data_file("valid.aw319", &file_len);
    ck_assert_uint_eq(built_len, file_len);
    ck_assert(memcmp(built, file, file_len) == 0);
    free(built);
    free(file);
}
END_TEST

/* ---- committed defect files -------------------------------------------------------------- */

typedef struct {
    const char *file;
    lv_code code; /* LV_OK: the file is accepted */
    int line_no;
    const char *field;
    size_t defect_line; /* accepted files: index of the line with a value defect */
    int parse_code;
} file_case;

static const file_case FILE_CASES[] = {
    {"trailer_count_wrong.aw319", LV_0158_COUNT_SERVICES_WRONG, 9, "service_count", 0, 0},
    {"trailer_total_wrong.aw319", LV_0150_FILE_TOTAL_WRONG, 9, "total_declared", 0, 0},
    {"short_record.aw319", LV_9201_RECORD_LENGTH, 3, "record", 0, 0},
    {"bad_header_date.aw319", LV_9205_DATE_INVALID, 1, "period_from", 0, 0},
    {"bad_number.aw319", LV_9204_NUMBER_INVALID, 4, "quantity", 0, 0},
    {"unknown_record_type.aw319", LV_9202_RECORD_TYPE_UNKNOWN, 5, "record_type", 0, 0},
    {"missing_trailer.aw319", LV_9203_RECORD_ORDER, 8, "record_type", 0, 0},
    {"bad_date.aw319", LV_OK, 0, "date_from", 0, LV_8007_SERVICE_DATE_INVALID},
};

START_TEST(defect_files)
{
    const file_case *c = &FILE_CASES[_i];
    size_t len;
    char *data = read_data_file(c->file, &len);
    lv_error err = {0};
    decl_submission *sub = aw319_parse(data, len, 0, &err);
    if (c->code == LV_OK) {
        ck_assert_msg(sub != NULL, "%s rejected: %s", c->file, err.message);
        ck_assert_uint_eq(sub->n_lines, 4);
        const decl_line *l = &sub->lines[c->defect_line];
        ck_assert_int_eq(l->parse_code, c->parse_code);
        ck_assert_str_eq(l->parse_field, c->field);
        ck_assert_int_eq(l->date_from, LV_DATE_NONE);
        for (size_t i = 0; i < sub->n_lines; i++)
            if (i != c->defect_line)
                ck_assert_int_eq(sub->lines[i].parse_code, 0);
    } else {
        ck_assert_msg(sub == NULL, "%s accepted", c->file);
        ck_assert_msg(err.code == c->code, "%s: code %d, want %d (%s)", c->file, err.code, c->code,
                      err.message);
        ck_assert_int_eq(err.line_no, c->line_no);
        ck_assert_str_eq(err.field, c->field);
        ck_assert(err.message[0] != '\0');
    }
    decl_submission_free(sub);
    free(data);
}
END_TEST

/* ---- files as providers' software writes them --------------------------------------------- */

/* provider_*.aw319: 3 clients, 1 debtor record, 5 service lines, 2 comment records, November
 * 2026 (aw319_layout.provider_file in make_files.py). */
static const struct {
    const char *bsn, *prestatie;
    long long qty;
    const char *unit, *from, *to;
    long long declared;
    int record_no;
} PROVIDER_LINES[] = {
    {"123456782", "CAKOR", 210, "01", "2026-11-01", "2026-11-30", 50138, 4},
    {"123456782", "RTKOR", 2, "01", "2026-11-03", "2026-11-03", 6200, 5},
    {"111222333", "CAKOR", 3, "02", "2026-11-05", "2026-11-05", 42975, 8},
    {"111222333", "CAKOR", 45, "01", "2026-11-12", "2026-11-12", 10744, 9},
    {"204681637", "CAKOR", 90, "01", "2026-11-20", "2026-11-20", 21488, 11},
};

static const char *const PROVIDER_FILES[] = {"provider_crlf.aw319", "provider_lf.aw319",
                                             "provider_ctrlz.aw319", "provider_empty_line.aw319",
                                             "provider_utf8.aw319"};

START_TEST(provider_files)
{
    const char *name = PROVIDER_FILES[_i];
    size_t len;
    char *data = read_data_file(name, &len);
    lv_error err = {0};
    decl_submission *sub = aw319_parse(data, len, 0, &err);
    ck_assert_msg(sub != NULL, "%s: %d at record %d (%s): %s", name, err.code, err.line_no,
                  err.field, err.message);
    ck_assert_str_eq(sub->provider_agb, "41000001");
    ck_assert_str_eq(sub->reference, "2026-11-EPD");
    ck_assert_str_eq(sub->zorgkantoor, "5501");
    ck_assert_uint_eq(sub->n_lines, 5);
    for (size_t i = 0; i < 5; i++) {
        const decl_line *l = &sub->lines[i];
        char d[11], ref[DECL_REF_MAX + 1];
        ck_assert_msg(l->parse_code == 0, "%s line %zu: parse code %d (%s)", name, i, l->parse_code,
                      l->parse_field);
        ck_assert_int_eq(l->source_line_no, PROVIDER_LINES[i].record_no);
        ck_assert_str_eq(l->client_bsn, PROVIDER_LINES[i].bsn);
        ck_assert_str_eq(l->prestatie, PROVIDER_LINES[i].prestatie);
        ck_assert_int_eq(l->quantity_declared, PROVIDER_LINES[i].qty);
        ck_assert_str_eq(l->time_unit, PROVIDER_LINES[i].unit);
        lv_date_format_iso(l->date_from, d);
        ck_assert_str_eq(d, PROVIDER_LINES[i].from);
        lv_date_format_iso(l->date_to, d);
        ck_assert_str_eq(d, PROVIDER_LINES[i].to);
        ck_assert_int_eq(l->declared_cents, PROVIDER_LINES[i].declared);
        ck_assert_int_eq(l->debit_credit, 'D');
        snprintf(ref, sizeof ref, "2026-11-EPD-%03zu", i + 1);
        ck_assert_str_eq(l->line_ref, ref);
    }
    decl_submission_free(sub);
    free(data);
}
END_TEST

/* provider_crlf.aw319 with one trailer count off by one: each has its own code, and the
 * message names the field and both numbers (the body's first). */
static const struct {
    const char *file;
    lv_code code;
    const char *field;
    const char *message;
} COUNT_FILES[] = {
    {"count_client_wrong.aw319", LV_0151_COUNT_CLIENTS_WRONG, "client_count",
     "record 13: the file holds 3 client records (02), but the trailer's client_count "
     "(position 3) states 4"},
    {"count_debtor_wrong.aw319", LV_0157_COUNT_DEBTORS_WRONG, "debtor_count",
     "record 13: the file holds 1 debtor records (03), but the trailer's debtor_count "
     "(position 9) states 2"},
    {"count_service_wrong.aw319", LV_0158_COUNT_SERVICES_WRONG, "service_count",
     "record 13: the file holds 5 service records (04), but the trailer's service_count "
     "(position 15) states 6"},
    {"count_comment_wrong.aw319", LV_0153_COUNT_COMMENTS_WRONG, "comment_count",
     "record 13: the file holds 2 comment records (98), but the trailer's comment_count "
     "(position 21) states 3"},
    {"count_detail_wrong.aw319", LV_0156_COUNT_DETAILS_WRONG, "detail_count",
     "record 13: the file holds 11 detail records (02, 03, 04 and 98), but the trailer's "
     "detail_count (position 27) states 12"},
};

START_TEST(count_files)
{
    size_t len;
    char *data = read_data_file(COUNT_FILES[_i].file, &len);
    lv_error err = {0};
    ck_assert_ptr_null(aw319_parse(data, len, 0, &err));
    ck_assert_msg(err.code == COUNT_FILES[_i].code, "%s: code %d (%s)", COUNT_FILES[_i].file,
                  err.code, err.message);
    ck_assert_int_eq(err.line_no, 13);
    ck_assert_str_eq(err.field, COUNT_FILES[_i].field);
    ck_assert_str_eq(err.message, COUNT_FILES[_i].message);
    free(data);
}
END_TEST

/* Nothing of a debtor record or of a client's name reaches a parsed submission or a
 * message: the bytes of every name in the file are absent from the whole result. */
START_TEST(personal_data_not_kept)
{
    static const char *const names[] = {"M\xFCller", "Dorpsstraat", "Hoogeveen", "NL91ABNA",
                                        "DEB-0001",  "H\xE9rman",   "Jans\xEBn", "B\xF6kkering",
                                        "Herman",    "Bokkering"};
    size_t len;
    char *data = read_data_file("provider_crlf.aw319", &len);
    lv_error err = {0};
    decl_submission *sub = aw319_parse(data, len, 0, &err);
    ck_assert_ptr_nonnull(sub);
    const char *whole = (const char *)sub->lines;
    size_t whole_len = sub->n_lines * sizeof *sub->lines;
    for (int k = 0; k < N_CASES(names); k++) {
        size_t n = strlen(names[k]);
        for (size_t at = 0; at + n <= whole_len; at++)
            ck_assert_msg(memcmp(whole + at, names[k], n) != 0, "'%s' kept in a line", names[k]);
        ck_assert_ptr_null(strstr(sub->reference, names[k]));
    }
    decl_submission_free(sub);
    /* a defect in the debtor record's place: the message names the record, not its text */
    char *second = NULL;
    for (size_t at = 0; at + 4 <= len && !second; at++)
        if (memcmp(data + at, "\r\n03", 4) == 0)
            second = data + at;
    ck_assert_ptr_nonnull(second);
    memcpy(second + 2, "04", 2); /* the 03 becomes a 04 of another BSN */
    ck_assert_ptr_null(aw319_parse(data, len, 0, &err));
    for (int k = 0; k < N_CASES(names); k++)
        ck_assert_msg(strstr(err.message, names[k]) == NULL, "'%s' in \"%s\"", names[k],
                      err.message);
    free(data);
}
END_TEST

/* ---- builder cases ----------------------------------------------------------------------- */

/* Record indexes in the standard file (0-based): 0 header, 1 client, 2-3 lines, 4 comment,
 * 5 client, 6-7 lines, 8 trailer. Record numbers in errors are 1-based. */

static void m_none(aw_file *f)
{
    (void)f;
}
static void m_too_many_lines_cap(aw_file *f)
{
    (void)f; /* max_lines = 3 in the case table */
}
static void m_after_trailer(aw_file *f)
{
    aw_comment(f);
}
static void m_line_before_client(aw_file *f)
{
    memcpy(f->rec[1], f->rec[2], AW319_RECORD_LEN); /* record 2 becomes a 04 */
    aw_trailer(f);
}
static void m_line_other_bsn(aw_file *f)
{
    put_s(f->rec[3], 15, 9, "111222333");
}
static void m_two_headers(aw_file *f)
{
    memcpy(f->rec[4], f->rec[0], AW319_RECORD_LEN);
}
static void m_comment_first(aw_file *f)
{
    memcpy(f->rec[0], f->rec[4], AW319_RECORD_LEN);
}
static void m_period_two_months(aw_file *f)
{
    put_s(f->rec[0], 73, 8, "20261130");
}
static void m_period_two_years(aw_file *f)
{
    put_s(f->rec[0], 65, 8, "20251201");
}
static void m_period_backwards(aw_file *f)
{
    put_s(f->rec[0], 65, 8, "20261015");
    put_s(f->rec[0], 73, 8, "20261001");
}
static void m_agb_letters(aw_file *f)
{
    put_s(f->rec[0], 39, 8, "4100000X");
}
static void m_zorgkantoor_blank(aw_file *f)
{
    put_s(f->rec[0], 27, 4, "");
}
static void m_invoice_empty(aw_file *f)
{
    put_s(f->rec[0], 81, 12, "");
}
static void m_invoice_control(aw_file *f)
{
    put_s(f->rec[0], 81, 12, "2026\t10");
}
static void m_line_other_year(aw_file *f)
{
    put_s(f->rec[7], 106, 8, "20251201");
}
static void m_trailer_clients(aw_file *f)
{
    put_n(f->rec[8], 3, 6, 3);
}
static void m_trailer_debtors(aw_file *f)
{
    put_n(f->rec[8], 9, 6, 1);
}
static void m_trailer_services(aw_file *f)
{
    put_n(f->rec[8], 15, 6, 3);
}
static void m_trailer_comments(aw_file *f)
{
    put_n(f->rec[8], 21, 6, 0);
}
static void m_trailer_detail(aw_file *f)
{
    put_n(f->rec[8], 27, 7, 9); /* 9 = all records incl. 01 and 99: not the meaning */
}
/* The layout before: a header count first. Every count then sits one field too far. */
static void m_trailer_header_first(aw_file *f)
{
    put_n(f->rec[8], 3, 6, 1);
    put_n(f->rec[8], 9, 6, 2);
}
/* The 03 debtor record: after its 02, before that client's 04 lines. */
static void aw_insert(aw_file *f, int at, int type)
{
    ck_assert_int_lt(f->n, AW_MAX_RECORDS);
    for (int i = f->n; i > at; i--) {
        memcpy(f->rec[i], f->rec[i - 1], AW_MAX_BYTES);
        f->len[i] = f->len[i - 1];
    }
    f->n++;
    aw_file tmp = {.n = 0};
    if (type == 3)
        aw_debtor(&tmp);
    else
        aw_comment(&tmp);
    memcpy(f->rec[at], tmp.rec[0], AW_MAX_BYTES);
    f->len[at] = tmp.len[0];
}
static void m_debtor(aw_file *f)
{
    aw_insert(f, 2, 3); /* header, client, debtor, lines ... */
    aw_trailer(f);
}
static void m_debtor_and_comment(aw_file *f)
{
    aw_insert(f, 2, 3);
    aw_insert(f, 3, 98);
    aw_trailer(f);
}
static void m_debtor_first(aw_file *f)
{
    aw_insert(f, 1, 3); /* before any 02 */
    aw_trailer(f);
}
static void m_two_debtors(aw_file *f)
{
    aw_insert(f, 2, 3);
    aw_insert(f, 3, 3);
    aw_trailer(f);
}
static void m_debtor_after_lines(aw_file *f)
{
    aw_insert(f, 4, 3); /* after the first client's two lines */
    aw_trailer(f);
}
static void m_debtor_uncounted(aw_file *f)
{
    aw_insert(f, 2, 3);
    aw_trailer(f);
    put_n(f->rec[f->n - 1], 9, 6, 0);
    put_n(f->rec[f->n - 1], 27, 7, 7);
}
/* ISO-8859-1: names in the 02 record; positions then count bytes. */
static void m_latin1_names(aw_file *f)
{
    put_s(f->rec[1], 64, 25, "H\xE9rman");
    put_s(f->rec[5], 64, 25, "B\xF6kkering");
}
/* ISO-8859-1 in a kept field is converted to UTF-8. */
static void m_latin1_line_ref(aw_file *f)
{
    put_s(f->rec[1], 64, 25, "Jans\xEBn");
    put_s(f->rec[2], 195, 20, "L-\xE9\xE9n");
}
/* 0x80-0x9F are controls in ISO-8859-1: not in a kept field. */
static void m_latin1_control_in_ref(aw_file *f)
{
    put_s(f->rec[2], 195, 20, "L-\x85-1");
}
static void m_latin1_prestatie_control(aw_file *f)
{
    put_s(f->rec[2], 125, 5, "CA\x9AOR");
}
/* A negative quantity rejects the line alone (0638), as in JSON and CSV. */
static void m_quantity_negative(aw_file *f)
{
    put_s(f->rec[2], 130, 4, "-030");
}
static void m_quantity_plus(aw_file *f)
{
    put_s(f->rec[2], 130, 4, "+030");
}
static void m_trailer_sign_bad(aw_file *f)
{
    put_s(f->rec[8], 45, 1, "X");
}
static void m_trailer_sign_flipped(aw_file *f)
{
    put_s(f->rec[8], 45, 1, "C");
}
static void m_prestatie_tab(aw_file *f)
{
    put_s(f->rec[6], 125, 5, "CA\tOR");
}
static void m_trailer_count_letters(aw_file *f)
{
    put_s(f->rec[8], 15, 6, "00000Z");
}
static void m_type_letters(aw_file *f)
{
    f->rec[4][0] = 'A';
    f->rec[4][1] = 'B';
}
static void m_long_record(aw_file *f)
{
    f->rec[2][AW319_RECORD_LEN] = ' ';
    f->len[2] = AW319_RECORD_LEN + 1;
}
static void m_empty_record(aw_file *f)
{
    f->len[4] = 0;
}
static void m_tariff_letters(aw_file *f)
{
    put_s(f->rec[2], 165, 8, "0001400O");
}
static void m_unit_letters(aw_file *f)
{
    put_s(f->rec[2], 134, 2, "MI");
}
static void m_amount_letters(aw_file *f)
{
    put_s(f->rec[2], 186, 8, "4777S");
}
static void m_no_lines(aw_file *f)
{
    f->rec[1][0] = '9', f->rec[1][1] = '8';
    f->n = 2;
    aw_trailer(f);
}
/* A comment with an é: 310 characters, 311 bytes. */
static void m_multibyte_comment(aw_file *f)
{
    char *r = f->rec[4];
    memmove(r + 12, r + 11, AW319_RECORD_LEN - 11);
    r[10] = '\xC3';
    r[11] = '\xA9';
    f->len[4] = AW319_RECORD_LEN + 1;
}
/* A multi-byte character in an N field is a non-digit. */
static void m_multibyte_quantity(aw_file *f)
{
    char *r = f->rec[2];
    memmove(r + 131, r + 130, AW319_RECORD_LEN - 130);
    r[129] = '\xC3';
    r[130] = '\xA9';
    f->len[2] = AW319_RECORD_LEN + 1;
}
/* Value defects: the line is kept with a parse code. */
static void m_bsn_blank(aw_file *f)
{
    put_s(f->rec[1], 15, 9, "");
    put_s(f->rec[2], 15, 9, "");
    put_s(f->rec[3], 15, 9, "");
}
static void m_bsn_zeros(aw_file *f)
{
    put_s(f->rec[5], 15, 9, "000000000");
    put_s(f->rec[6], 15, 9, "000000000");
    put_s(f->rec[7], 15, 9, "000000000");
}
static void m_bsn_short(aw_file *f)
{
    put_s(f->rec[1], 15, 9, "1234567");
    put_s(f->rec[2], 15, 9, "1234567");
    put_s(f->rec[3], 15, 9, "1234567");
}
static void m_date_to_blank(aw_file *f)
{
    put_s(f->rec[3], 114, 8, "");
}
static void m_date_feb30(aw_file *f)
{
    put_s(f->rec[3], 114, 8, "20260230");
}
static void m_prestatie_blank(aw_file *f)
{
    put_s(f->rec[6], 125, 5, "");
}
static void m_quantity_blank(aw_file *f)
{
    put_s(f->rec[6], 130, 4, "");
}
static void m_unit_blank(aw_file *f)
{
    put_s(f->rec[6], 134, 2, "");
}
static void m_amount_blank(aw_file *f)
{
    put_s(f->rec[6], 186, 8, "");
    aw_trailer(f);
}
static void m_dc_bad(aw_file *f)
{
    put_s(f->rec[7], 194, 1, "X");
    aw_trailer(f); /* counted as a debit */
}
static void m_ref_blank(aw_file *f)
{
    put_s(f->rec[7], 195, 20, "");
}
static void m_ref_tab(aw_file *f)
{
    put_s(f->rec[7], 195, 20, "L-\t0004");
}
static void m_two_defects(aw_file *f)
{
    put_s(f->rec[2], 106, 8, "20261300"); /* leftmost: wins */
    put_s(f->rec[2], 125, 5, "");
}
static void m_corrects_multibyte_long(aw_file *f)
{
    /* 20 characters, 21 bytes: over the 20-byte field of decl_line */
    char *r = f->rec[7];
    memmove(r + 215, r + 214, AW319_RECORD_LEN - 214);
    memcpy(r + 214, "\xC3\xA9", 2);
    memset(r + 216, 'x', 19);
    f->len[7] = AW319_RECORD_LEN + 1;
}

typedef struct {
    const char *name;
    void (*mutate)(aw_file *);
    size_t max_lines;
    const char *sep;
    int final_sep;
    lv_code code;      /* LV_OK: accepted */
    int line_no;       /* rejected: record; accepted: index of the line to look at */
    const char *field; /* rejected: err.field; accepted: parse_field */
    int parse_code;    /* accepted: expected parse_code of that line */
    const char *tail;  /* bytes after the last record and its separator; NULL: none */
    const char *value; /* accepted with a parse code: the value kept for the reason;
                          rejected: a part the message must hold; NULL: not checked */
} build_case;

static const build_case BUILD_CASES[] = {
    {"no final newline", m_none, 0, "\n", 0, LV_OK, 0, "", 0},
    {"crlf with final crlf", m_none, 0, "\r\n", 1, LV_OK, 0, "", 0},
    {"max_lines reached exactly", m_none, 4, "\n", 1, LV_OK, 0, "", 0},
    {"more lines than max_lines", m_too_many_lines_cap, 3, "\n", 1, LV_9207_TOO_MANY_LINES, 8, "",
     0},
    {"record after trailer", m_after_trailer, 0, "\n", 1, LV_9203_RECORD_ORDER, 10, "record_type",
     0},
    {"line before any client", m_line_before_client, 0, "\n", 1, LV_9203_RECORD_ORDER, 2,
     "record_type", 0},
    {"line under another client", m_line_other_bsn, 0, "\n", 1, LV_9203_RECORD_ORDER, 4,
     "client_bsn", 0},
    {"second header", m_two_headers, 0, "\n", 1, LV_9203_RECORD_ORDER, 5, "record_type", 0},
    {"comment before header", m_comment_first, 0, "\n", 1, LV_9203_RECORD_ORDER, 1, "record_type",
     0},
    {"period over two months", m_period_two_months, 0, "\n", 1, LV_9104_DATES_SPAN_MONTHS, 1,
     "period_to", 0},
    {"period over two years", m_period_two_years, 0, "\n", 1, LV_9110_YEAR_MIXED, 1, "period_to",
     0},
    {"period ends before it begins", m_period_backwards, 0, "\n", 1, LV_9205_DATE_INVALID, 1,
     "period_to", 0},
    {"agb with a letter", m_agb_letters, 0, "\n", 1, LV_9204_NUMBER_INVALID, 1, "provider_agb", 0},
    {"zorgkantoor blank", m_zorgkantoor_blank, 0, "\n", 1, LV_9204_NUMBER_INVALID, 1, "zorgkantoor",
     0},
    {"invoice number empty", m_invoice_empty, 0, "\n", 1, LV_9107_FIELD_MISSING, 1, "reference", 0},
    {"invoice number with a tab", m_invoice_control, 0, "\n", 1, LV_9108_FIELD_INVALID, 1,
     "reference", 0},
    {"line in another year", m_line_other_year, 0, "\n", 1, LV_9110_YEAR_MIXED, 8, "date_from", 0},
    {"trailer client count", m_trailer_clients, 0, "\n", 1, LV_0151_COUNT_CLIENTS_WRONG, 9,
     "client_count", 0, NULL,
     "the file holds 2 client records (02), but the trailer's client_count (position 3) "
     "states 3"},
    {"trailer debtor count", m_trailer_debtors, 0, "\n", 1, LV_0157_COUNT_DEBTORS_WRONG, 9,
     "debtor_count", 0, NULL, "holds 0 debtor records (03), but the trailer's debtor_count"},
    {"trailer service count", m_trailer_services, 0, "\n", 1, LV_0158_COUNT_SERVICES_WRONG, 9,
     "service_count", 0, NULL,
     "holds 4 service records (04), but the trailer's service_count "
     "(position 15) states 3"},
    {"trailer comment count", m_trailer_comments, 0, "\n", 1, LV_0153_COUNT_COMMENTS_WRONG, 9,
     "comment_count", 0, NULL, "holds 1 comment records (98)"},
    {"trailer detail count", m_trailer_detail, 0, "\n", 1, LV_0156_COUNT_DETAILS_WRONG, 9,
     "detail_count", 0, NULL,
     "holds 7 detail records (02, 03, 04 and 98), but the trailer's detail_count (position "
     "27) states 9"},
    {"trailer with a header count first", m_trailer_header_first, 0, "\n", 1,
     LV_0151_COUNT_CLIENTS_WRONG, 9, "client_count", 0, NULL, NULL},
    {"debtor record after its client", m_debtor, 0, "\r\n", 1, LV_OK, 0, "", 0, NULL, NULL},
    {"debtor record and a comment", m_debtor_and_comment, 0, "\r\n", 1, LV_OK, 0, "", 0, NULL,
     NULL},
    {"debtor record before any client", m_debtor_first, 0, "\n", 1, LV_9203_RECORD_ORDER, 2,
     "record_type", 0, NULL, "must follow a 02 client record"},
    {"two debtor records for one client", m_two_debtors, 0, "\n", 1, LV_9203_RECORD_ORDER, 4,
     "record_type", 0, NULL, "second 03 debtor record"},
    {"debtor record after the client's lines", m_debtor_after_lines, 0, "\n", 1,
     LV_9203_RECORD_ORDER, 5, "record_type", 0, NULL, "before the 04 service lines"},
    {"debtor record not counted", m_debtor_uncounted, 0, "\n", 1, LV_0157_COUNT_DEBTORS_WRONG, 10,
     "debtor_count", 0, NULL, "holds 1 debtor records (03), but"},
    {"ISO-8859-1 names", m_latin1_names, 0, "\r\n", 1, LV_OK, 0, "", 0, NULL, NULL},
    {"ISO-8859-1 in a line reference", m_latin1_line_ref, 0, "\r\n", 1, LV_OK, 0, "", 0, NULL,
     NULL},
    {"ISO-8859-1 control in a line reference", m_latin1_control_in_ref, 0, "\n", 1, LV_OK, 0,
     "line_ref", LV_9108_FIELD_INVALID, NULL, "L-?-1"},
    {"ISO-8859-1 control in a prestatie", m_latin1_prestatie_control, 0, "\n", 1, LV_OK, 0,
     "prestatie", LV_0582_PRESTATIE_UNKNOWN, NULL, "CA?OR"},
    {"prestatie with a tab", m_prestatie_tab, 0, "\n", 1, LV_OK, 2, "prestatie",
     LV_0582_PRESTATIE_UNKNOWN, NULL, NULL},
    {"negative quantity", m_quantity_negative, 0, "\n", 1, LV_OK, 0, "quantity",
     LV_0638_QUANTITY_INVALID, NULL, "-030"},
    {"quantity with a plus sign", m_quantity_plus, 0, "\n", 1, LV_9204_NUMBER_INVALID, 3,
     "quantity", 0, NULL, NULL},
    {"closing Ctrl-Z", m_none, 0, "\r\n", 1, LV_OK, 0, "", 0, "\x1a", NULL},
    {"Ctrl-Z right after the trailer", m_none, 0, "\r\n", 0, LV_OK, 0, "", 0, "\x1a", NULL},
    {"Ctrl-Z and a line end", m_none, 0, "\n", 1, LV_OK, 0, "", 0, "\x1a\n", NULL},
    {"one empty line at the end", m_none, 0, "\r\n", 1, LV_OK, 0, "", 0, "\r\n", NULL},
    {"two Ctrl-Z", m_none, 0, "\n", 1, LV_9201_RECORD_LENGTH, 10, "record", 0, "\x1a\x1a", NULL},
    {"trailer sign not D/C", m_trailer_sign_bad, 0, "\n", 1, LV_0150_FILE_TOTAL_WRONG, 9,
     "total_debit_credit", 0},
    {"trailer sign flipped", m_trailer_sign_flipped, 0, "\n", 1, LV_0150_FILE_TOTAL_WRONG, 9,
     "total_declared", 0},
    {"trailer count with a letter", m_trailer_count_letters, 0, "\n", 1, LV_9204_NUMBER_INVALID, 9,
     "service_count", 0},
    {"record type letters", m_type_letters, 0, "\n", 1, LV_9202_RECORD_TYPE_UNKNOWN, 5,
     "record_type", 0},
    {"record of 311", m_long_record, 0, "\n", 1, LV_9201_RECORD_LENGTH, 3, "record", 0},
    {"empty record inside", m_empty_record, 0, "\n", 1, LV_9201_RECORD_LENGTH, 5, "record", 0},
    {"tariff with a letter", m_tariff_letters, 0, "\n", 1, LV_9204_NUMBER_INVALID, 3, "tariff", 0},
    {"time unit letters", m_unit_letters, 0, "\n", 1, LV_9204_NUMBER_INVALID, 3, "time_unit", 0},
    {"declared amount letters", m_amount_letters, 0, "\n", 1, LV_9204_NUMBER_INVALID, 3,
     "declared_amount", 0},
    {"no service lines", m_no_lines, 0, "\n", 1, LV_9211_EMPTY_SUBMISSION, 0, "", 0},
    {"comment with multi-byte text", m_multibyte_comment, 0, "\n", 1, LV_OK, 0, "", 0},
    {"multi-byte in quantity", m_multibyte_quantity, 0, "\n", 1, LV_9204_NUMBER_INVALID, 3,
     "quantity", 0},
    {"bsn blank", m_bsn_blank, 0, "\n", 1, LV_OK, 1, "client_bsn", LV_9107_FIELD_MISSING},
    {"bsn zeros", m_bsn_zeros, 0, "\n", 1, LV_OK, 3, "client_bsn", LV_9107_FIELD_MISSING},
    {"bsn short", m_bsn_short, 0, "\n", 1, LV_OK, 0, "client_bsn", LV_0435_BSN_INVALID, NULL,
     "*******"},
    {"date_to blank", m_date_to_blank, 0, "\n", 1, LV_OK, 1, "date_to", LV_9107_FIELD_MISSING},
    {"date_to 30 February", m_date_feb30, 0, "\n", 1, LV_OK, 1, "date_to",
     LV_8007_SERVICE_DATE_INVALID, NULL, "20260230"},
    {"prestatie blank", m_prestatie_blank, 0, "\n", 1, LV_OK, 2, "prestatie",
     LV_9107_FIELD_MISSING},
    {"quantity blank", m_quantity_blank, 0, "\n", 1, LV_OK, 2, "quantity", LV_9107_FIELD_MISSING},
    {"time unit blank", m_unit_blank, 0, "\n", 1, LV_OK, 2, "time_unit", LV_9107_FIELD_MISSING},
    {"declared amount blank", m_amount_blank, 0, "\n", 1, LV_OK, 2, "declared_amount",
     LV_9107_FIELD_MISSING},
    {"debit/credit X", m_dc_bad, 0, "\n", 1, LV_OK, 3, "debit_credit", LV_0631_DEBIT_CREDIT_MISSING,
     NULL, "X"},
    {"line ref blank", m_ref_blank, 0, "\n", 1, LV_OK, 3, "line_ref", LV_9107_FIELD_MISSING},
    {"line ref with a tab", m_ref_tab, 0, "\n", 1, LV_OK, 3, "line_ref", LV_9108_FIELD_INVALID},
    {"two defects: leftmost wins", m_two_defects, 0, "\n", 1, LV_OK, 0, "date_from",
     LV_8007_SERVICE_DATE_INVALID},
    {"corrects ref over 20 bytes", m_corrects_multibyte_long, 0, "\n", 1, LV_OK, 3, "corrects_ref",
     LV_9108_FIELD_INVALID},
};

START_TEST(builder_cases)
{
    const build_case *c = &BUILD_CASES[_i];
    aw_file *f = malloc(sizeof *f);
    ck_assert_ptr_nonnull(f);
    aw_standard(f);
    c->mutate(f);
    size_t len;
    char *data = aw_serialize(f, c->sep, c->final_sep, &len);
    if (c->tail) {
        size_t extra = strlen(c->tail);
        data = realloc(data, len + extra);
        ck_assert_ptr_nonnull(data);
        memcpy(data + len, c->tail, extra);
        len += extra;
    }
    lv_error err = {0};
    decl_submission *sub = aw319_parse(data, len, c->max_lines, &err);
    if (c->code == LV_OK) {
        ck_assert_msg(sub != NULL, "%s: rejected %d at %d (%s): %s", c->name, err.code, err.line_no,
                      err.field, err.message);
        const decl_line *l = &sub->lines[c->line_no];
        ck_assert_msg(l->parse_code == c->parse_code, "%s: parse_code %d", c->name, l->parse_code);
        ck_assert_str_eq(l->parse_field, c->field);
        if (c->value)
            ck_assert_msg(strcmp(l->parse_value, c->value) == 0, "%s: value '%s', want '%s'",
                          c->name, l->parse_value, c->value);
        for (size_t i = 0; i < sub->n_lines; i++)
            if (i != (size_t)c->line_no && c->mutate != m_bsn_blank && c->mutate != m_bsn_zeros &&
                c->mutate != m_bsn_short)
                ck_assert_msg(sub->lines[i].parse_code == 0, "%s: line %zu", c->name, i);
        if (c->parse_code == LV_9107_FIELD_MISSING && strcmp(c->field, "client_bsn") == 0)
            ck_assert_str_eq(l->client_bsn, "");
    } else {
        ck_assert_msg(sub == NULL, "%s: accepted", c->name);
        ck_assert_msg(err.code == c->code, "%s: code %d, want %d (%s)", c->name, err.code, c->code,
                      err.message);
        ck_assert_msg(err.line_no == c->line_no, "%s: line %d, want %d", c->name, err.line_no,
                      c->line_no);
        ck_assert_msg(strcmp(err.field, c->field) == 0, "%s: field '%s'", c->name, err.field);
        if (c->value)
            ck_assert_msg(strstr(err.message, c->value) != NULL, "%s: message \"%s\" lacks \"%s\"",
                          c->name, err.message, c->value);
    }
    decl_submission_free(sub);
    free(data);
    free(f);
}
END_TEST

/* A kept text field of an ISO-8859-1 file arrives as UTF-8. */
START_TEST(latin1_kept_as_utf8)
{
    aw_file *f = malloc(sizeof *f);
    ck_assert_ptr_nonnull(f);
    aw_standard(f);
    m_latin1_line_ref(f);
    size_t len;
    char *data = aw_serialize(f, "\r\n", 1, &len);
    lv_error err = {0};
    decl_submission *sub = aw319_parse(data, len, 0, &err);
    ck_assert_msg(sub != NULL, "%s", err.message);
    ck_assert_str_eq(sub->lines[0].line_ref, "L-\xC3\xA9\xC3\xA9n");
    ck_assert_str_eq(sub->lines[1].line_ref, "L-0002");
    decl_submission_free(sub);
    free(data);
    free(f);
}
END_TEST

/* ---- raw byte inputs --------------------------------------------------------------------- */

typedef struct {
    const char *name;
    const char *data;
    size_t len;
    lv_code code;
    int line_no;
} raw_case;

static const raw_case RAW_CASES[] = {
    {"empty", "", 0, LV_9211_EMPTY_SUBMISSION, 0},
    {"newlines only", "\n\r\n\n", 4, LV_9211_EMPTY_SUBMISSION, 0},
    {"nul byte", "01\0", 3, LV_9206_ENCODING_INVALID, 1},
    {"nul byte in ISO-8859-1", "\xE9\n01\0", 6, LV_9206_ENCODING_INVALID, 2},
    /* not UTF-8: read as ISO-8859-1, byte by byte, so these are records of the wrong length */
    {"latin-1 byte", "\n\n0\xE9", 4, LV_9201_RECORD_LENGTH, 1},
    {"truncated utf-8", "01\xC3", 3, LV_9201_RECORD_LENGTH, 1},
    {"overlong utf-8", "\xC0\xAF", 2, LV_9201_RECORD_LENGTH, 1},
    {"surrogate", "\xED\xA0\x80", 3, LV_9201_RECORD_LENGTH, 1},
    {"short garbage", "hello", 5, LV_9201_RECORD_LENGTH, 1},
    {"ctrl-z only", "\x1a", 1, LV_9211_EMPTY_SUBMISSION, 0},
    {"line ends around a ctrl-z", "\r\n\x1a\r\n", 5, LV_9211_EMPTY_SUBMISSION, 0},
};

START_TEST(raw_inputs)
{
    const raw_case *c = &RAW_CASES[_i];
    lv_error err = {0};
    /* copy to an exact-size heap buffer so ASan sees any read past the end */
    char *data = malloc(c->len ? c->len : 1);
    memcpy(data, c->data, c->len);
    decl_submission *sub = aw319_parse(data, c->len, 0, &err);
    ck_assert_msg(sub == NULL, "%s accepted", c->name);
    ck_assert_msg(err.code == c->code, "%s: code %d (%s)", c->name, err.code, err.message);
    ck_assert_int_eq(err.line_no, c->line_no);
    free(data);
}
END_TEST

START_TEST(null_error_pointer_and_data)
{
    ck_assert_ptr_null(aw319_parse(NULL, 10, 0, NULL));
    ck_assert_ptr_null(aw319_parse("x", 1, 0, NULL));
}
END_TEST

START_TEST(bsn_never_in_messages)
{
    /* A BSN must never reach a log: no error message may quote one. */
    aw_file f;
    aw_standard(&f);
    m_line_other_bsn(&f);
    size_t len;
    char *data = aw_serialize(&f, "\n", 1, &len);
    lv_error err = {0};
    ck_assert_ptr_null(aw319_parse(data, len, 0, &err));
    ck_assert_ptr_null(strstr(err.message, "111222333"));
    ck_assert_ptr_null(strstr(err.message, "123456782"));
    free(data);
}
END_TEST

static Suite *aw319_suite(void)
{
    Suite *s = suite_create("aw319");
    TCase *tc = tcase_create("files");
    tcase_add_test(tc, valid_file_every_field);
    tcase_add_test(tc, builder_matches_committed_file);
    tcase_add_loop_test(tc, defect_files, 0, N_CASES(FILE_CASES));
    tcase_add_loop_test(tc, provider_files, 0, N_CASES(PROVIDER_FILES));
    tcase_add_loop_test(tc, count_files, 0, N_CASES(COUNT_FILES));
    tcase_add_test(tc, personal_data_not_kept);
    suite_add_tcase(s, tc);
    tc = tcase_create("builder");
    tcase_add_loop_test(tc, builder_cases, 0, N_CASES(BUILD_CASES));
    tcase_add_test(tc, latin1_kept_as_utf8);
    suite_add_tcase(s, tc);
    tc = tcase_create("bytes");
    tcase_add_loop_test(tc, raw_inputs, 0, N_CASES(RAW_CASES));
    tcase_add_test(tc, null_error_pointer_and_data);
    tcase_add_test(tc, bsn_never_in_messages);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(aw319_suite)
