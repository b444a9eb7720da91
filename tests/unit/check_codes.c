/*
 * check_codes.c: Check suite for lib/codes.c, the return-code registry. The table below
 * restates every code's external id in enum order, so a row that is missing, misplaced
 * or renumbered fails here; the other cases pin statuses and severities by family.
 */
#include <string.h>

#include "codes.h"
#include "unit_runner.h"

/* Every external id, in the order of the lv_code enum. */
static const char *const ids_in_order[] = {
    "ok",
    "0435",
    "0581",
    "0582",
    "0584",
    "0586",
    "0587",
    "0611",
    "0631",
    "0638",
    "8007",
    "8017",
    "8021",
    "8022",
    "8084",
    "0150",
    "0151",
    "0153",
    "0156",
    "0157",
    "0158",
    "9101",
    "9102",
    "9103",
    "9104",
    "9105",
    "9106",
    "9107",
    "9108",
    "9109",
    "9110",
    "9111",
    "9112",
    "9201",
    "9202",
    "9203",
    "9204",
    "9205",
    "9206",
    "9207",
    "9208",
    "9209",
    "9210",
    "9211",
    "bad_request",
    "unauthorized",
    "forbidden",
    "not_found",
    "method_not_allowed",
    "conflict",
    "payload_too_large",
    "unsupported_media_type",
    "unprocessable",
    "internal",
    "unavailable",
    "declaration_not_found",
    "provider_not_found",
    "group_not_found",
    "alert_not_found",
    "alert_already_resolved",
    "config_invalid",
    "file_unreadable",
    "schema_not_current",
    "invalid_input",
    "out_of_memory",
    "token_revoked",
    "token_expired",
    "body_not_allowed",
    "busy",
    "query_timeout",
    "audit_failed",
};

START_TEST(test_one_row_per_code_in_order)
{
    ck_assert_int_eq(N_CASES(ids_in_order), LV_CODE_COUNT);
    const lv_code_info *info = lv_code_get((lv_code)_i);
    ck_assert_int_eq(info->code, _i);
    ck_assert_ptr_nonnull(info->id);
    ck_assert_str_eq(info->id, ids_in_order[_i]);
    ck_assert_ptr_nonnull(info->reason);
    ck_assert_msg(strlen(info->reason) > 5, "%s has no readable reason", info->id);
    ck_assert_msg(info->http_status >= 200 && info->http_status <= 599, "%s status %d", info->id,
                  info->http_status);
}
END_TEST

START_TEST(test_by_id_round_trip)
{
    ck_assert_int_eq(lv_code_by_id(ids_in_order[_i]), _i);
}
END_TEST

typedef struct {
    lv_code code;
    int http_status;
    lv_severity severity;
} row_case;

static const row_case row_cases[] = {
    {LV_OK, 200, LV_SEV_NONE},
    {LV_0435_BSN_INVALID, 422, LV_SEV_REJECT},
    {LV_0586_DECLARED_LATE, 422, LV_SEV_WARNING},
    {LV_0587_ALREADY_DECLARED, 422, LV_SEV_REJECT},
    {LV_0611_TARIFF_NOT_PER_CONTRACT, 422, LV_SEV_WARNING},
    {LV_8084_DEBIT_ALREADY_CREDITED, 422, LV_SEV_REJECT},
    {LV_0150_FILE_TOTAL_WRONG, 422, LV_SEV_FILE},
    {LV_0156_COUNT_DETAILS_WRONG, 422, LV_SEV_FILE},
    {LV_0158_COUNT_SERVICES_WRONG, 422, LV_SEV_FILE},
    {LV_9101_GROUP_NO_CA, 422, LV_SEV_REJECT},
    {LV_9112_TRAVEL_INVALID, 422, LV_SEV_REJECT},
    {LV_9201_RECORD_LENGTH, 422, LV_SEV_FILE},
    {LV_9207_TOO_MANY_LINES, 413, LV_SEV_FILE}, /* the client can split and retry */
    {LV_9211_EMPTY_SUBMISSION, 422, LV_SEV_FILE},
    {LV_HTTP_BAD_REQUEST, 400, LV_SEV_HTTP},
    {LV_HTTP_UNAUTHORIZED, 401, LV_SEV_HTTP},
    {LV_HTTP_FORBIDDEN, 403, LV_SEV_HTTP},
    {LV_HTTP_NOT_FOUND, 404, LV_SEV_HTTP},
    {LV_HTTP_METHOD_NOT_ALLOWED, 405, LV_SEV_HTTP},
    {LV_HTTP_CONFLICT, 409, LV_SEV_HTTP},
    {LV_HTTP_PAYLOAD_TOO_LARGE, 413, LV_SEV_HTTP},
    {LV_HTTP_UNSUPPORTED_MEDIA_TYPE, 415, LV_SEV_HTTP},
    {LV_HTTP_UNPROCESSABLE, 422, LV_SEV_HTTP},
    {LV_HTTP_INTERNAL, 500, LV_SEV_HTTP},
    {LV_HTTP_UNAVAILABLE, 503, LV_SEV_HTTP},
    {LV_DECLARATION_NOT_FOUND, 404, LV_SEV_HTTP}, /* one "not found" per situation */
    {LV_PROVIDER_NOT_FOUND, 404, LV_SEV_HTTP},
    {LV_GROUP_NOT_FOUND, 404, LV_SEV_HTTP},
    {LV_ALERT_NOT_FOUND, 404, LV_SEV_HTTP},
    {LV_ALERT_ALREADY_RESOLVED, 409, LV_SEV_HTTP},
    {LV_CONFIG_INVALID, 500, LV_SEV_HTTP},
    {LV_FILE_UNREADABLE, 500, LV_SEV_HTTP},
    {LV_SCHEMA_NOT_CURRENT, 503, LV_SEV_HTTP}, /* a migration is pending: back soon */
    {LV_INPUT_INVALID, 500, LV_SEV_HTTP},
    {LV_OUT_OF_MEMORY, 500, LV_SEV_HTTP},
    {LV_TOKEN_REVOKED, 401, LV_SEV_HTTP},
    {LV_TOKEN_EXPIRED, 401, LV_SEV_HTTP},
    {LV_HTTP_BODY_NOT_ALLOWED, 413, LV_SEV_HTTP},
    {LV_DB_BUSY, 503, LV_SEV_HTTP}, /* 503s carry Retry-After */
    {LV_DB_TIMEOUT, 503, LV_SEV_HTTP},
    {LV_AUDIT_FAILED, 500, LV_SEV_HTTP},
};

START_TEST(test_row)
{
    const row_case *c = &row_cases[_i];
    const lv_code_info *info = lv_code_get(c->code);
    ck_assert_int_eq(info->http_status, c->http_status);
    ck_assert_int_eq(info->severity, c->severity);
}
END_TEST

/* Families by range: Vektis line codes and 91xx reject or warn a line, file codes (015x,
 * 92xx) reject a whole submission, the rest are request errors. */
START_TEST(test_severity_by_family)
{
    const lv_code_info *info = lv_code_get((lv_code)_i);
    lv_severity want = LV_SEV_NONE;
    if (_i >= LV_0435_BSN_INVALID && _i <= LV_8084_DEBIT_ALREADY_CREDITED)
        want = (_i == LV_0586_DECLARED_LATE || _i == LV_0611_TARIFF_NOT_PER_CONTRACT)
                   ? LV_SEV_WARNING
                   : LV_SEV_REJECT;
    else if (_i >= LV_0150_FILE_TOTAL_WRONG && _i <= LV_0158_COUNT_SERVICES_WRONG)
        want = LV_SEV_FILE;
    else if (_i >= LV_9101_GROUP_NO_CA && _i <= LV_9112_TRAVEL_INVALID)
        want = LV_SEV_REJECT;
    else if (_i >= LV_9201_RECORD_LENGTH && _i <= LV_9211_EMPTY_SUBMISSION)
        want = LV_SEV_FILE;
    else if (_i >= LV_HTTP_BAD_REQUEST)
        want = LV_SEV_HTTP;
    ck_assert_msg(info->severity == want, "%s severity %d, want %d", info->id, info->severity,
                  want);
}
END_TEST

START_TEST(test_ids_unique)
{
    for (int j = 0; j < LV_CODE_COUNT; j++)
        if (j != _i)
            ck_assert_str_ne(lv_code_get((lv_code)_i)->id, lv_code_get((lv_code)j)->id);
}
END_TEST

static const char *const unknown_ids[] = {"9999", "", "0435 ", " 0435", "UNAUTHORIZED", "04"};

START_TEST(test_unknown_id)
{
    ck_assert_int_eq(lv_code_by_id(unknown_ids[_i]), LV_OK);
}
END_TEST

START_TEST(test_out_of_range)
{
    ck_assert_int_eq(lv_code_by_id(NULL), LV_OK);
    ck_assert_int_eq(lv_code_get(LV_CODE_COUNT)->code, LV_HTTP_INTERNAL);
    ck_assert_int_eq(lv_code_get((lv_code)-1)->code, LV_HTTP_INTERNAL);
    ck_assert_int_eq(lv_code_get((lv_code)100000)->code, LV_HTTP_INTERNAL);
}
END_TEST

static Suite *codes_suite(void)
{
    Suite *s = suite_create("codes");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_one_row_per_code_in_order, 0, LV_CODE_COUNT);
    tcase_add_loop_test(tc, test_by_id_round_trip, 0, N_CASES(ids_in_order));
    tcase_add_loop_test(tc, test_row, 0, N_CASES(row_cases));
    tcase_add_loop_test(tc, test_severity_by_family, 0, LV_CODE_COUNT);
    tcase_add_loop_test(tc, test_ids_unique, 0, LV_CODE_COUNT);
    tcase_add_loop_test(tc, test_unknown_id, 0, N_CASES(unknown_ids));
    tcase_add_test(tc, test_out_of_range);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(codes_suite)
