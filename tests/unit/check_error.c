/*
 * check_error.c: Check suite for lib/error.c, the one error type and its one rendering:
 * code, message and field always present (field null when empty, the registry's reason for
 * an empty message), detail, hint and line only when set; the HTTP status from the
 * registry; the one-line text form; prefixes and texts cut to their buffers without ever
 * producing a body that is not JSON.
 */
#include <string.h>

#include "error.h"
#include "unit_runner.h"

/* Renders @a e and returns the error object inside (the body is kept in *body). */
static json_t *rendered(const lv_error *e, json_t **body)
{
    *body = lv_error_json_new(e);
    ck_assert_ptr_nonnull(*body);
    ck_assert_uint_eq(json_object_size(*body), 1);
    json_t *obj = json_object_get(*body, "error");
    ck_assert(json_is_object(obj));
    return obj;
}

typedef struct {
    lv_code code;
    int line_no;
    const char *field;
    const char *message;
    const char *detail;
    const char *hint;
    /* expected */
    const char *want_code;
    const char *want_message;
    int want_status;
    size_t want_members;
} render_case;

static const render_case render_cases[] = {
    /* the doc/api.md shape: code, message, field */
    {LV_ALERT_NOT_FOUND, 0, "", "no such alert", "", "", "alert_not_found", "no such alert", 404,
     3},
    {LV_0435_BSN_INVALID, 0, "lines[3].client_bsn", "bad BSN", "", "", "0435", "bad BSN", 422, 3},
    /* an empty message is the registry's reason */
    {LV_DECLARATION_NOT_FOUND, 0, "", "", "", "", "declaration_not_found",
     "No such declaration (submission).", 404, 3},
    /* detail and hint (PostgreSQL's split) only when set */
    {LV_HTTP_INTERNAL, 0, "", "statement failed", "Key (agb)=(1) is not present.", "", "internal",
     "statement failed", 500, 4},
    {LV_SCHEMA_NOT_CURRENT, 0, "", "not current", "", "run `lvhcmon migrate`", "schema_not_current",
     "not current", 503, 4},
    {LV_0150_FILE_TOTAL_WRONG, 7, "trailer", "totals differ", "1 vs 2", "check the trailer", "0150",
     "totals differ", 422, 6},
    /* a code without a status of its own answers 500 */
    {LV_OK, 0, "", "x", "", "", "ok", "x", 500, 3},
};

START_TEST(test_render)
{
    const render_case *c = &render_cases[_i];
    lv_error e;
    lv_error_set(&e, c->code, c->line_no, c->field, "%s", c->message);
    if (c->detail[0])
        lv_error_detail(&e, "%s", c->detail);
    if (c->hint[0])
        lv_error_hint(&e, "%s", c->hint);
    json_t *body;
    json_t *obj = rendered(&e, &body);
    ck_assert_str_eq(json_string_value(json_object_get(obj, "code")), c->want_code);
    ck_assert_str_eq(json_string_value(json_object_get(obj, "message")), c->want_message);
    json_t *field = json_object_get(obj, "field");
    ck_assert_ptr_nonnull(field); /* always present */
    if (c->field[0])
        ck_assert_str_eq(json_string_value(field), c->field);
    else
        ck_assert(json_is_null(field));
    if (c->detail[0])
        ck_assert_str_eq(json_string_value(json_object_get(obj, "detail")), c->detail);
    else
        ck_assert_ptr_null(json_object_get(obj, "detail"));
    if (c->hint[0])
        ck_assert_str_eq(json_string_value(json_object_get(obj, "hint")), c->hint);
    else
        ck_assert_ptr_null(json_object_get(obj, "hint"));
    if (c->line_no > 0)
        ck_assert_int_eq(json_integer_value(json_object_get(obj, "line")), c->line_no);
    else
        ck_assert_ptr_null(json_object_get(obj, "line"));
    ck_assert_uint_eq(json_object_size(obj), c->want_members);
    ck_assert_int_eq(lv_error_http_status(&e), c->want_status);
    json_decref(body);
}
END_TEST

START_TEST(test_set_clears_detail_and_hint)
{
    lv_error e;
    lv_error_set(&e, LV_HTTP_INTERNAL, 0, NULL, "first");
    lv_error_detail(&e, "d");
    lv_error_hint(&e, "h");
    lv_error_set(&e, LV_HTTP_UNAVAILABLE, 0, NULL, "second");
    ck_assert_str_eq(e.detail, "");
    ck_assert_str_eq(e.hint, "");
    ck_assert_str_eq(e.field, "");
    /* NULL is accepted everywhere: callers that do not want the reason pass none */
    lv_error_set(NULL, LV_HTTP_INTERNAL, 0, NULL, "x");
    lv_error_detail(NULL, "x");
    lv_error_hint(NULL, "x");
    lv_error_prefix(NULL, "x");
    lv_error_clear(NULL);
}
END_TEST

START_TEST(test_text)
{
    lv_error e;
    char buf[LV_ERROR_TEXT_MAX];
    lv_error_set(&e, LV_HTTP_INTERNAL, 0, NULL, "migration 0009 failed");
    ck_assert_str_eq(lv_error_text(&e, buf, sizeof buf), "migration 0009 failed");
    lv_error_detail(&e, "type \"nosuchtype\" does not exist");
    lv_error_hint(&e, "fix the file");
    ck_assert_str_eq(lv_error_text(&e, buf, sizeof buf),
                     "migration 0009 failed: type \"nosuchtype\" does not exist; fix the file");
    lv_error_clear(&e);
    ck_assert_int_eq(e.code, LV_OK);
    lv_error_set(&e, LV_ALERT_NOT_FOUND, 0, NULL, "%s", "");
    ck_assert_str_eq(lv_error_text(&e, buf, sizeof buf), "No such alert.");
}
END_TEST

START_TEST(test_prefix)
{
    lv_error e;
    lv_error_set(&e, LV_FILE_UNREADABLE, 0, NULL, "cannot open: No such file or directory");
    lv_error_prefix(&e, "cannot read '%s'", "/etc/nope.conf");
    ck_assert_str_eq(e.message,
                     "cannot read '/etc/nope.conf': cannot open: No such file or directory");
    /* A long prefix keeps as much of the message as fits, and the message stays a string. */
    char long_prefix[400];
    memset(long_prefix, 'p', sizeof long_prefix - 1);
    long_prefix[sizeof long_prefix - 1] = '\0';
    lv_error_prefix(&e, "%s", long_prefix);
    ck_assert_uint_eq(strlen(e.message), sizeof e.message - 1);
    ck_assert_int_eq(e.code, LV_FILE_UNREADABLE);
}
END_TEST

START_TEST(test_cut_utf8_still_renders)
{
    /* A message cut inside a two-byte character is not UTF-8: the body still renders, with
     * the bytes outside ASCII replaced. */
    lv_error e;
    char text[sizeof e.message + 8];
    memset(text, 'a', sizeof text);
    memcpy(text + sizeof e.message - 2, "\xc3\xa9\xc3\xa9", 4); /* "éé" across the cut */
    text[sizeof text - 1] = '\0';
    lv_error_set(&e, LV_9108_FIELD_INVALID, 0, "name", "%s", text);
    json_t *body;
    json_t *obj = rendered(&e, &body);
    const char *msg = json_string_value(json_object_get(obj, "message"));
    ck_assert_ptr_nonnull(msg);
    ck_assert_uint_eq(strlen(msg), sizeof e.message - 1);
    ck_assert_int_eq(msg[sizeof e.message - 2], '?');
    json_decref(body);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("error");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_render, 0, N_CASES(render_cases));
    tcase_add_test(tc, test_set_clears_detail_and_hint);
    tcase_add_test(tc, test_text);
    tcase_add_test(tc, test_prefix);
    tcase_add_test(tc, test_cut_utf8_still_renders);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
