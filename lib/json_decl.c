/*
 * json_decl.c: decoding of a JSON submission (doc/api.md) into a decl_submission. The shape of
 * the body is written down once, in two spec tables (SUBMISSION_SPEC, LINE_SPEC): for each
 * field its name, JSON kind, whether it must be present, where it goes and what a valid
 * value looks like. One generic walker (jd_decode) applies a table to an object; small
 * setters turn a well-typed JSON value into the C field.
 *
 * Structural defects reject the body (NULL, lv_error; field = the path, such as
 * "lines[3].minutes", with array indices from 0 like the daemon's other paths; line_no =
 * index + 1, the line's source_line_no; for 9209 and an integer beyond range, where jansson
 * stops before any field is known, line_no is the line of the body's text instead):
 *   not UTF-8 9206; empty body 9211; not JSON, duplicate keys, trailing text 9209;
 *   not an object, a field of the wrong JSON kind, an integer beyond
 *   int64, an unknown field (strict: a misspelt "travel_cent" must not silently become 0)
 *   9108; a required field absent 9107; provider_agb not 8 digits or reference not
 *   1..20 characters (they identify the submission) 9108/9107; "lines" empty 9211 or longer
 *   than max_lines 9207.
 * Value defects keep the line, first defect in parse_code (with the value, for the reason):
 *   an expected line field absent or null 9107 (debit_credit: 0631, "debit/credit
 *   missing"); a text too long or holding control characters 9108 (prestatie: 0582, no
 *   such code exists); client_bsn not 9 digits 0435; a date not "YYYY-MM-DD" or not in the
 *   calendar 8007; debit_credit not "D"/"C" 0631; minutes or travel_cents negative 0638
 *   (zero minutes are validation's 0638).
 * travel_cents (default 0) and corrects_ref (default none; null allowed) are optional.
 * Before jansson builds the tree, json_shape_check() bounds it: too many lines (9207), an
 *   array at the top or as a line, an unknown field, an object or array where a single
 *   value belongs (9108) are refused from the text, before any syntax error further on, so
 *   the tree never outgrows what a submission within the limits has.
 * quantity and quantity_declared both hold "minutes": JSON has no unit mapping.
 */
#include "json_decl.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "json_shape.h"
#include "text.h"

typedef enum { JK_STRING, JK_UINT, JK_ARRAY } jd_kind;

typedef enum {
    JD_REQUIRED, /* absent or null: the body is rejected (9107) */
    JD_EXPECTED, /* absent or null: the line is kept with value defect 9107 */
    JD_OPTIONAL  /* absent or null: the target keeps its default */
} jd_presence;

typedef struct jd_ctx jd_ctx;
typedef struct jd_field jd_field;

/**
 * Stores a value whose JSON kind the walker already checked.
 * @return LV_OK, or the code of a value defect. A structural defect found deeper (inside
 *         "lines") is reported through ctx->failed instead.
 */
typedef lv_code (*jd_setter)(void *target, const jd_field *f, json_t *v, jd_ctx *ctx);

struct jd_field {
    const char *name;
    jd_kind kind;
    jd_presence presence;
    size_t offset; /* of the C field in the target struct */
    size_t size;   /* of the C field: text must fit in size - 1 bytes */
    jd_setter set;
    const char *rule;     /* what a valid value looks like, for messages */
    lv_code when_missing; /* JD_EXPECTED: the value defect of an absent field */
};

struct jd_ctx {
    lv_error *err;
    size_t max_lines;
    bool failed;
};

/* ---- setters ------------------------------------------------------------------------ */

static lv_code set_text(void *target, const jd_field *f, json_t *v, jd_ctx *ctx)
{
    (void)ctx;
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n == 0)
        return f->presence == JD_OPTIONAL ? LV_OK : LV_9107_FIELD_MISSING;
    if (n >= f->size || text_has_control(s, n))
        return LV_9108_FIELD_INVALID;
    memcpy((char *)target + f->offset, s, n + 1);
    return LV_OK;
}

/** A prestatie code that cannot be one (too long, a control character) is unknown: 0582. */
static lv_code set_prestatie(void *target, const jd_field *f, json_t *v, jd_ctx *ctx)
{
    lv_code code = set_text(target, f, v, ctx);
    return code == LV_9108_FIELD_INVALID ? LV_0582_PRESTATIE_UNKNOWN : code;
}

/** Exactly size - 1 ASCII digits; anything else is the defect @a bad. */
static lv_code digits_into(void *target, const jd_field *f, json_t *v, lv_code bad)
{
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n == 0)
        return LV_9107_FIELD_MISSING;
    if (n != f->size - 1 || !text_all_digits(s, n))
        return bad;
    memcpy((char *)target + f->offset, s, n + 1);
    return LV_OK;
}

static lv_code set_agb(void *target, const jd_field *f, json_t *v, jd_ctx *ctx)
{
    (void)ctx;
    return digits_into(target, f, v, LV_9108_FIELD_INVALID);
}

static lv_code set_bsn(void *target, const jd_field *f, json_t *v, jd_ctx *ctx)
{
    (void)ctx;
    return digits_into(target, f, v, LV_0435_BSN_INVALID);
}

static lv_code set_date(void *target, const jd_field *f, json_t *v, jd_ctx *ctx)
{
    (void)ctx;
    lv_date d;
    if (json_string_length(v) == 0)
        return LV_9107_FIELD_MISSING;
    if (json_string_length(v) != 10 || !lv_date_parse_iso(json_string_value(v), &d))
        return LV_8007_SERVICE_DATE_INVALID;
    memcpy((char *)target + f->offset, &d, sizeof d);
    return LV_OK;
}

static lv_code set_int64(void *target, const jd_field *f, json_t *v, jd_ctx *ctx)
{
    (void)ctx;
    int64_t n = (int64_t)json_integer_value(v);
    memcpy((char *)target + f->offset, &n, sizeof n);
    return LV_OK;
}

static lv_code set_minutes(void *target, const jd_field *f, json_t *v, jd_ctx *ctx)
{
    decl_line *line = target;
    set_int64(target, f, v, ctx);
    line->quantity_declared = line->quantity;
    return LV_OK;
}

static lv_code set_debit_credit(void *target, const jd_field *f, json_t *v, jd_ctx *ctx)
{
    (void)ctx;
    const char *s = json_string_value(v);
    if (json_string_length(v) != 1 || (s[0] != 'D' && s[0] != 'C'))
        return LV_0631_DEBIT_CREDIT_MISSING;
    *((char *)target + f->offset) = s[0];
    return LV_OK;
}

static lv_code set_lines(void *target, const jd_field *f, json_t *v, jd_ctx *ctx);

/* ---- the spec tables ------------------------------------------------------------------ */

/* clang-format off */
#define LINE_FIELD(name, kind, presence, member, setter, rule, when_missing)                   \
    {name, kind, presence, offsetof(decl_line, member), sizeof(((decl_line *)0)->member),      \
     setter, rule, when_missing}
/* clang-format on */

static const jd_field LINE_SPEC[] = {
    LINE_FIELD("line_ref", JK_STRING, JD_EXPECTED, line_ref, set_text,
               "1 to 20 characters, without control characters", LV_9107_FIELD_MISSING),
    LINE_FIELD("client_bsn", JK_STRING, JD_EXPECTED, client_bsn, set_bsn, "9 digits",
               LV_9107_FIELD_MISSING),
    LINE_FIELD("prestatie", JK_STRING, JD_EXPECTED, prestatie, set_prestatie,
               "1 to 5 characters, without control characters", LV_9107_FIELD_MISSING),
    LINE_FIELD("date_from", JK_STRING, JD_EXPECTED, date_from, set_date, "a date YYYY-MM-DD",
               LV_9107_FIELD_MISSING),
    LINE_FIELD("date_to", JK_STRING, JD_EXPECTED, date_to, set_date, "a date YYYY-MM-DD",
               LV_9107_FIELD_MISSING),
    LINE_FIELD("minutes", JK_UINT, JD_EXPECTED, quantity, set_minutes, "a whole number above 0",
               LV_9107_FIELD_MISSING),
    LINE_FIELD("travel_cents", JK_UINT, JD_OPTIONAL, travel_cents, set_int64,
               "a whole number of cents, 0 or more", LV_OK),
    LINE_FIELD("debit_credit", JK_STRING, JD_EXPECTED, debit_credit, set_debit_credit,
               "\"D\" or \"C\"", LV_0631_DEBIT_CREDIT_MISSING),
    LINE_FIELD("corrects_ref", JK_STRING, JD_OPTIONAL, corrects_ref, set_text,
               "null or 1 to 20 characters", LV_OK),
};

static const jd_field SUBMISSION_SPEC[] = {
    {"provider_agb", JK_STRING, JD_REQUIRED, offsetof(decl_submission, provider_agb),
     DECL_AGB_LEN + 1, set_agb, "8 digits", LV_9107_FIELD_MISSING},
    {"reference", JK_STRING, JD_REQUIRED, offsetof(decl_submission, reference), DECL_REF_MAX + 1,
     set_text, "1 to 20 characters, without control characters", LV_9107_FIELD_MISSING},
    {"lines", JK_ARRAY, JD_REQUIRED, 0, 0, set_lines, "a non-empty array of lines",
     LV_9107_FIELD_MISSING},
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the walker ----------------------------------------------------------------------- */

static const char *kind_name(jd_kind k)
{
    switch (k) {
    case JK_STRING:
        return "a string";
    case JK_UINT:
        return "an integer of 0 or more";
    default:
        return "an array";
    }
}

/** Rejects the body: "<path> <what>; expected <rule>". */
static void reject(jd_ctx *ctx, lv_code code, int line_no, const char *path, const char *what,
                   const char *rule)
{
    lv_error_set(ctx->err, code, line_no, path, "%s%s%s%s%s", path, path[0] ? " " : "", what,
                 rule ? "; expected " : "", rule ? rule : "");
    ctx->failed = true;
}

/* "prefix.name" (or "name" at the top) in @a buf. Written only when a field is reported:
 * a submission's lines would otherwise format ten paths each for nothing. */
static const char *field_path(char *buf, size_t cap, const char *prefix, const char *name)
{
    snprintf(buf, cap, "%s%s%s", prefix, prefix[0] ? "." : "", name);
    return buf;
}

/**
 * Decodes @a obj against @a spec into @a target.
 * @param line     the line being decoded (value defects go there), NULL at the top level
 * @param prefix   path of @a obj ("" at the top, "lines[3]" for a line)
 * @param line_no  reported with structural errors (0 at the top)
 * @return false when the body is rejected (ctx->err filled).
 */
static bool jd_decode(jd_ctx *ctx, const jd_field *spec, size_t n_spec, json_t *obj, void *target,
                      decl_line *line, const char *prefix, int line_no)
{
    /* roomier than err->field: lv_error_set cuts it to fit, snprintf here never has to */
    char path[96];
    if (!json_is_object(obj)) {
        if (prefix[0])
            reject(ctx, LV_9108_FIELD_INVALID, line_no, prefix, "is not an object", NULL);
        else
            reject(ctx, LV_9108_FIELD_INVALID, 0, "", "the body is not a JSON object", NULL);
        return false;
    }
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        size_t i = 0;
        while (i < n_spec && strcmp(spec[i].name, key) != 0)
            i++;
        if (i == n_spec) {
            char shown[32];
            text_quote(shown, sizeof shown, key, strlen(key));
            reject(ctx, LV_9108_FIELD_INVALID, line_no,
                   field_path(path, sizeof path, prefix, shown), "is not a known field", NULL);
            return false;
        }
    }
    for (size_t i = 0; i < n_spec; i++) {
        const jd_field *f = &spec[i];
        v = json_object_get(obj, f->name);
        if (!v || json_is_null(v)) {
            if (f->presence == JD_REQUIRED || (f->presence == JD_EXPECTED && !line)) {
                reject(ctx, LV_9107_FIELD_MISSING, line_no,
                       field_path(path, sizeof path, prefix, f->name), "is missing", f->rule);
                return false;
            }
            if (f->presence == JD_EXPECTED)
                decl_line_set_defect(line, f->when_missing, f->name);
            continue;
        }
        bool kind_ok = false;
        switch (f->kind) {
        case JK_STRING:
            kind_ok = json_is_string(v);
            break;
        case JK_UINT:
            kind_ok = json_is_integer(v) && json_integer_value(v) >= 0;
            break;
        case JK_ARRAY:
            kind_ok = json_is_array(v);
            break;
        }
        if (!kind_ok && line && f->kind == JK_UINT && json_is_integer(v)) {
            /* A negative quantity or travel amount rejects the line, not the body. */
            char shown[24];
            int w = snprintf(shown, sizeof shown, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
            decl_line_set_defect_value(line, LV_0638_QUANTITY_INVALID, f->name, shown,
                                       w > 0 ? (size_t)w : 0);
            continue;
        }
        if (!kind_ok) {
            reject(ctx, LV_9108_FIELD_INVALID, line_no,
                   field_path(path, sizeof path, prefix, f->name),
                   json_is_integer(v) && f->kind == JK_UINT ? "is negative" : "has the wrong type",
                   kind_name(f->kind));
            return false;
        }
        lv_code code = f->set(target, f, v, ctx);
        if (ctx->failed)
            return false;
        if (code == LV_OK)
            continue;
        if (line) {
            decl_line_set_defect_value(line, code, f->name,
                                       json_is_string(v) ? json_string_value(v) : "",
                                       json_is_string(v) ? json_string_length(v) : 0);
        } else {
            reject(ctx, code, line_no, field_path(path, sizeof path, prefix, f->name),
                   code == LV_9107_FIELD_MISSING ? "is empty" : "is not valid", f->rule);
            return false;
        }
    }
    return true;
}

static lv_code set_lines(void *target, const jd_field *f, json_t *v, jd_ctx *ctx)
{
    decl_submission *sub = target;
    size_t n = json_array_size(v);
    if (n == 0) {
        reject(ctx, LV_9211_EMPTY_SUBMISSION, 0, f->name, "is empty", f->rule);
        return LV_OK;
    }
    if (ctx->max_lines > 0 && n > ctx->max_lines) {
        lv_error_set(ctx->err, LV_9207_TOO_MANY_LINES, (int)(ctx->max_lines + 1), f->name,
                     "lines: %zu lines, more than the %zu allowed", n, ctx->max_lines);
        ctx->failed = true;
        return LV_OK;
    }
    if (n > INT32_MAX) {
        reject(ctx, LV_9207_TOO_MANY_LINES, 0, f->name, "has too many lines", NULL);
        return LV_OK;
    }
    for (size_t i = 0; i < n; i++) {
        decl_line *line = decl_submission_add_line(sub);
        if (!line) {
            reject(ctx, LV_HTTP_INTERNAL, 0, f->name, "out of memory", NULL);
            return LV_OK;
        }
        line->source_line_no = (int)i + 1;
        char prefix[32] = "lines[", digits[TEXT_INT64_MAX];
        size_t n_digits;
        const char *d = text_int64((int64_t)i, digits, &n_digits);
        memcpy(prefix + 6, d, n_digits);
        memcpy(prefix + 6 + n_digits, "]", 2);
        if (!jd_decode(ctx, LINE_SPEC, N_OF(LINE_SPEC), json_array_get(v, i), line, line, prefix,
                       (int)i + 1))
            return LV_OK;
    }
    return LV_OK;
}

/* ---- entry point ---------------------------------------------------------------------- */

static bool is_json_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_number_char(char c)
{
    return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E';
}

/**
 * jansson rejects an integer beyond its range while parsing, before any spec is seen. To
 * still name the field, look back from where it stopped for the key: `"key" : 123...`.
 */
static void key_before(const char *data, size_t len, size_t pos, char *out, size_t cap)
{
    out[0] = '\0';
    size_t i = pos < len ? pos : len;
    while (i > 0 && (is_number_char(data[i - 1]) || is_json_space(data[i - 1])))
        i--;
    if (i == 0 || data[i - 1] != ':')
        return;
    i--;
    while (i > 0 && is_json_space(data[i - 1]))
        i--;
    if (i == 0 || data[i - 1] != '"')
        return;
    size_t end = --i;
    while (i > 0 && !(data[i - 1] == '"' && (i < 2 || data[i - 2] != '\\')))
        i--;
    if (i == 0)
        return;
    text_quote(out, cap, data + i, end - i);
}

decl_submission *json_decl_parse(const char *data, size_t len, size_t max_lines, lv_error *err)
{
    if (!data)
        len = 0;
    size_t bad;
    if (len > 0 && !text_utf8_valid(data, len, &bad)) {
        int line = text_line_of(data, bad);
        lv_error_set(err, LV_9206_ENCODING_INVALID, line, "",
                     "byte %zu (line %d) is not valid UTF-8 text (or is a NUL byte)", bad + 1,
                     line);
        return NULL;
    }
    size_t lead = 0;
    while (lead < len && is_json_space(data[lead]))
        lead++;
    if (lead == len) {
        lv_error_set(err, LV_9211_EMPTY_SUBMISSION, 0, "", "the body is empty");
        return NULL;
    }

    /* Bound what jansson builds before it builds anything (json_shape.h). */
    const char *top_fields[N_OF(SUBMISSION_SPEC) + 1];
    for (size_t i = 0; i < N_OF(SUBMISSION_SPEC); i++)
        top_fields[i] = SUBMISSION_SPEC[i].name;
    top_fields[N_OF(SUBMISSION_SPEC)] = NULL;
    const char *line_fields[N_OF(LINE_SPEC) + 1];
    for (size_t i = 0; i < N_OF(LINE_SPEC); i++)
        line_fields[i] = LINE_SPEC[i].name;
    line_fields[N_OF(LINE_SPEC)] = NULL;
    const json_shape shape = {top_fields, "lines", max_lines, line_fields};
    if (!json_shape_check(data, len, &shape, err))
        return NULL;

    json_error_t jerr;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        if (json_error_code(&jerr) == json_error_numeric_overflow) {
            char key[40];
            key_before(data, len, (size_t)jerr.position, key, sizeof key);
            lv_error_set(err, LV_9108_FIELD_INVALID, jerr.line, key,
                         "%s%sa number beyond the integer range (line %d, column %d)", key,
                         key[0] ? ": " : "", jerr.line, jerr.column);
        } else {
            lv_error_set(err, LV_9209_JSON_SYNTAX, jerr.line, "",
                         "not valid JSON: %s (line %d, column %d)", jerr.text, jerr.line,
                         jerr.column);
        }
        return NULL;
    }

    jd_ctx ctx = {.err = err, .max_lines = max_lines};
    decl_submission *sub = decl_submission_new(DECL_SOURCE_JSON);
    if (!sub) {
        json_decref(root);
        lv_error_set(err, LV_HTTP_INTERNAL, 0, "", "out of memory");
        return NULL;
    }
    bool ok = jd_decode(&ctx, SUBMISSION_SPEC, N_OF(SUBMISSION_SPEC), root, sub, NULL, "", 0);
    json_decref(root);
    if (!ok) {
        decl_submission_free(sub);
        return NULL;
    }
    return sub;
}
