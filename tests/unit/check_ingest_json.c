/*
 * check_ingest_json.c: Check suite for the JSON texts the ingest path writes directly
 * (daemon/ingest/json_text.c, canonical.c, response.c). They are written by hand for speed
 * but must be, byte for byte, what jansson writes for the same document: the canonical
 * text with JSON_COMPACT | JSON_SORT_KEYS (stored content hashes depend on it), the answer
 * with JSON_COMPACT (a replay re-serialises the stored answer with jansson and must give
 * the same bytes). Each case writes a text from tricky values and checks that jansson
 * reads it and writes the very same bytes back; some cases also pin the exact text.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/canonical.h"
#include "ingest/json_text.h"
#include "ingest/response.h"
#include "unit_runner.h"

typedef char hash_hex[PRIVACY_HASH_HEX_LEN + 1];

/* Texts that need every escaping rule: quotes, backslash, control characters with and
 * without a short form, DEL, slash and multi-byte UTF-8 (kept as they are). */
static const char *const tricky[] = {
    "",
    "plain",
    "q\"uote",
    "back\\slash",
    "tab\there",
    "nl\ncr\r",
    "bs\bff\f",
    "ctl\x01\x1f",
    "del\x7f",
    "sl/ash",
    "\xc3\xa9t\xc3\xa9",
    "\xe2\x82\xac 5",
    "\xf0\x9f\x98\x80",
};

static decl_submission *submission_with(decl_source source, const char *text, bool defect)
{
    decl_submission *sub = decl_submission_new(source);
    ck_assert_ptr_nonnull(sub);
    strcpy(sub->provider_agb, "41000001");
    snprintf(sub->reference, sizeof sub->reference, "%.20s", text);
    if (source == DECL_SOURCE_AW319) {
        strcpy(sub->zorgkantoor, "5512");
        sub->period_from = 20362; /* 2025-10-01 */
        sub->period_to = 20392;
    }
    for (int i = 0; i < 3; i++) {
        decl_line *l = decl_submission_add_line(sub);
        ck_assert_ptr_nonnull(l);
        snprintf(l->line_ref, sizeof l->line_ref, "%.18s%d", text, i);
        snprintf(l->prestatie, sizeof l->prestatie, "%.5s", i == 1 ? text : "CAKOR");
        snprintf(l->corrects_ref, sizeof l->corrects_ref, "%.20s", i == 2 ? text : "");
        l->date_from = i == 0 ? LV_DATE_NONE : 20362 + i;
        l->date_to = i == 0 ? LV_DATE_NONE : 20390;
        l->quantity = i == 2 ? -5 : 210 + i;
        l->travel_cents = i * 1250;
        l->debit_credit = i == 0 ? 0 : i == 1 ? 'D' : 'C';
        if (source == DECL_SOURCE_AW319) {
            strcpy(l->time_unit, i == 1 ? "02" : "01");
            l->quantity_declared = i + 1;
            l->has_declared_amount = true;
            l->declared_cents = i == 2 ? -13650 : 47775;
            l->declared_tariff_cents = 14000;
        }
        if (defect && i == 1)
            decl_line_set_defect(l, 8007, text[0] ? text : "date_from");
    }
    return sub;
}

/* jansson reads @a text and writes exactly it again with @a flags; frees @a text. */
static void assert_jansson_same(char *text, size_t flags)
{
    ck_assert_ptr_nonnull(text);
    json_error_t err;
    json_t *parsed = json_loads(text, 0, &err);
    ck_assert_msg(parsed != NULL, "not JSON: %s in %s", err.text, text);
    char *again = json_dumps(parsed, flags);
    ck_assert_str_eq(text, again);
    free(again);
    json_decref(parsed);
    free(text);
}

static void assert_round_trip(const decl_submission *sub)
{
    hash_hex hashes[3] = {"", "00ff", "abc"};
    assert_jansson_same(canonical_submission_text_new(sub, (const hash_hex *)hashes),
                        JSON_COMPACT | JSON_SORT_KEYS);
}

/* Line results for the three lines of submission_with(): accepted with a warning,
 * rejected with a field, accepted plain (negative amount, as a credit). */
static void results_for(line_result r[3])
{
    memset(r, 0, 3 * sizeof *r);
    r[0].accepted = true;
    r[0].late = true;
    r[0].amount_cents = 50138;
    r[0].codes[0] = LV_0586_DECLARED_LATE;
    r[0].n_codes = 1;
    r[1].codes[0] = LV_0435_BSN_INVALID;
    r[1].codes[1] = LV_0611_TARIFF_NOT_PER_CONTRACT;
    r[1].n_codes = 2;
    strcpy(r[1].field, "client_bsn");
    r[2].accepted = true;
    r[2].amount_cents = INT64_MIN + 1;
}

START_TEST(test_round_trip_json)
{
    decl_submission *sub = submission_with(DECL_SOURCE_JSON, tricky[_i], false);
    assert_round_trip(sub);
    decl_submission_free(sub);
}
END_TEST

START_TEST(test_round_trip_csv_with_defect)
{
    decl_submission *sub = submission_with(DECL_SOURCE_CSV, tricky[_i], true);
    assert_round_trip(sub);
    decl_submission_free(sub);
}
END_TEST

START_TEST(test_round_trip_aw319)
{
    decl_submission *sub = submission_with(DECL_SOURCE_AW319, tricky[_i], _i % 2 == 0);
    assert_round_trip(sub);
    decl_submission_free(sub);
}
END_TEST

START_TEST(test_response_round_trip)
{
    decl_submission *sub = submission_with(DECL_SOURCE_JSON, tricky[_i], false);
    line_result r[3];
    results_for(r);
    response_totals totals = {2, 1, -42};
    size_t len = 0;
    char *text = response_submission_text_new(INT64_MAX, sub, r, &totals, &len);
    ck_assert_uint_eq(len, strlen(text));
    assert_jansson_same(text, JSON_COMPACT);
    decl_submission_free(sub);
}
END_TEST

START_TEST(test_response_exact_text)
{
    decl_submission *sub = decl_submission_new(DECL_SOURCE_JSON);
    strcpy(sub->provider_agb, "41000001");
    strcpy(sub->reference, "2026-10-A");
    decl_line *l = decl_submission_add_line(sub);
    strcpy(l->line_ref, "1");
    line_result r = {.accepted = true, .amount_cents = 50138};
    response_totals totals = {1, 0, 50138};
    char *text = response_submission_text_new(17, sub, &r, &totals, NULL);
    ck_assert_str_eq(text, "{\"id\":17,\"provider_agb\":\"41000001\",\"reference\":\"2026-10-A\","
                           "\"replayed\":false,\"accepted\":1,\"rejected\":0,"
                           "\"amount_cents\":50138,\"lines\":[{\"line_ref\":\"1\","
                           "\"status\":\"accepted\",\"codes\":[],\"amount_cents\":50138,"
                           "\"late\":false}]}");
    free(text);
    decl_submission_free(sub);
}
END_TEST

START_TEST(test_json_text_values)
{
    json_text t;
    json_text_init(&t, 0);
    json_text_raw(&t, "[", 1);
    json_text_int(&t, 0);
    json_text_raw(&t, ",", 1);
    json_text_int(&t, INT64_MIN);
    json_text_raw(&t, ",", 1);
    json_text_int(&t, INT64_MAX);
    json_text_raw(&t, ",", 1);
    json_text_int(&t, -7);
    json_text_raw(&t, ",", 1);
    json_text_string(&t, "\x01\x1f\"\\/\x7f\xc3\xa9");
    json_text_raw(&t, "]", 1);
    size_t len;
    char *text = json_text_finish(&t, &len);
    ck_assert_str_eq(text, "[0,-9223372036854775808,9223372036854775807,-7,"
                           "\"\\u0001\\u001F\\\"\\\\/\x7f\xc3\xa9\"]");
    ck_assert_uint_eq(len, strlen(text));
    assert_jansson_same(text, JSON_COMPACT);
    /* Nothing written is an empty text, not a failure. */
    json_text_init(&t, 0);
    text = json_text_finish(&t, &len);
    ck_assert_str_eq(text, "");
    free(text);
}
END_TEST

START_TEST(test_exact_text)
{
    decl_submission *sub = decl_submission_new(DECL_SOURCE_JSON);
    strcpy(sub->provider_agb, "41000001");
    strcpy(sub->reference, "2026-10-A");
    decl_line *l = decl_submission_add_line(sub);
    strcpy(l->line_ref, "1");
    strcpy(l->prestatie, "CAKOR");
    l->date_from = 20727; /* 2026-10-01 */
    l->date_to = 20757;   /* 2026-10-31 */
    l->quantity = 210;
    l->debit_credit = 'D';
    hash_hex hashes[1] = {"ab12"};
    char *text = canonical_submission_text_new(sub, (const hash_hex *)hashes);
    ck_assert_str_eq(text, "{\"lines\":[{\"client_hash\":\"ab12\",\"corrects_ref\":\"\","
                           "\"date_from\":\"2026-10-01\",\"date_to\":\"2026-10-31\","
                           "\"debit_credit\":\"D\",\"line_ref\":\"1\",\"minutes\":210,"
                           "\"prestatie\":\"CAKOR\",\"travel_cents\":0}],\"period_from\":null,"
                           "\"period_to\":null,\"provider_agb\":\"41000001\",\"reference\":"
                           "\"2026-10-A\",\"source\":\"json\",\"zorgkantoor\":\"\"}");
    free(text);
    decl_submission_free(sub);
}
END_TEST

START_TEST(test_empty_submission)
{
    decl_submission *sub = decl_submission_new(DECL_SOURCE_CSV);
    char *text = canonical_submission_text_new(sub, NULL);
    ck_assert_str_eq(text, "{\"lines\":[],\"period_from\":null,\"period_to\":null,"
                           "\"provider_agb\":\"\",\"reference\":\"\",\"source\":\"csv\","
                           "\"zorgkantoor\":\"\"}");
    free(text);
    decl_submission_free(sub);
}
END_TEST

START_TEST(test_diff_names_fields)
{
    json_t *a = json_loads("{\"reference\":\"x\",\"lines\":[{\"minutes\":1,\"prestatie\":\"A\"}]}",
                           0, NULL);
    json_t *b = json_loads("{\"reference\":\"x\",\"lines\":[{\"minutes\":2,\"prestatie\":\"A\"},"
                           "{\"minutes\":3}]}",
                           0, NULL);
    json_t *d = canonical_diff_new(a, b);
    ck_assert_uint_eq(json_array_size(d), 2);
    ck_assert_str_eq(json_string_value(json_array_get(d, 0)), "lines");
    ck_assert_str_eq(json_string_value(json_array_get(d, 1)), "lines[0].minutes");
    json_decref(d);
    json_decref(a);
    json_decref(b);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("ingest_json");
    TCase *tc = tcase_create("ingest_json");
    tcase_add_loop_test(tc, test_round_trip_json, 0, N_CASES(tricky));
    tcase_add_loop_test(tc, test_round_trip_csv_with_defect, 0, N_CASES(tricky));
    tcase_add_loop_test(tc, test_round_trip_aw319, 0, N_CASES(tricky));
    tcase_add_loop_test(tc, test_response_round_trip, 0, N_CASES(tricky));
    tcase_add_test(tc, test_response_exact_text);
    tcase_add_test(tc, test_json_text_values);
    tcase_add_test(tc, test_exact_text);
    tcase_add_test(tc, test_empty_submission);
    tcase_add_test(tc, test_diff_names_fields);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
