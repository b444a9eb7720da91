/*
 * codes.c: the registry table behind codes.h. One row per lv_code: its stable external
 * id, the HTTP status it answers with when it stands alone, its severity and its reason.
 *
 * The rows use designated initialisers indexed by the enum, so a row can never sit at the
 * wrong position. The array is sized by its highest row, so the static assertion below
 * fails when the last code has no row; a code without a row in the middle has a NULL id,
 * which lv_code_get() treats as unknown and the check_codes suite reports.
 *
 * HTTP status choices:
 *  - line codes (Vektis and 91xx) are 422: the request was well formed but the content
 *    breaks a rule. Warnings (0586, 0611) never answer a request on their own; they carry
 *    422 only so that every row has a meaningful status.
 *  - file codes (015x, 92xx) are 422, as doc/api.md says for a file rejected whole, except
 *    9207 (too many lines), which is 413: the body is too large for one submission, and a
 *    client can split it and retry.
 *  - each "not found" has its own code (declaration_not_found, provider_not_found, ...),
 *    all 404; a state that forbids an action is 409 (alert_already_resolved).
 *  - the service's own failures are 500 (nothing the client can change), except
 *    schema_not_current, 503: a migration is pending and the service will be back.
 */
#include "codes.h"

#include <stddef.h>
#include <string.h>

#define ROW(c, id, status, sev, reason) [c] = {c, id, status, sev, reason}
#define LINE(c, id, reason) ROW(c, id, 422, LV_SEV_REJECT, reason)
#define WARN(c, id, reason) ROW(c, id, 422, LV_SEV_WARNING, reason)
#define FILE_ROW(c, id, reason) ROW(c, id, 422, LV_SEV_FILE, reason)
#define HTTP(c, id, status, reason) ROW(c, id, status, LV_SEV_HTTP, reason)

static const lv_code_info registry[] = {
    ROW(LV_OK, "ok", 200, LV_SEV_NONE, "No problem."),
    /* Vektis line codes */
    LINE(LV_0435_BSN_INVALID, "0435",
         "The client's BSN is missing, not 9 digits or fails the 11-test."),
    LINE(LV_0581_PRESTATIE_LIST_UNKNOWN, "0581",
         "The prestatie code is not on the C&A list of the year of the service (it is on "
         "another year's list)."),
    LINE(LV_0582_PRESTATIE_UNKNOWN, "0582", "The prestatie code is on no C&A prestatie list."),
    LINE(LV_0584_QUANTITY_OVER_MAX, "0584",
         "The quantity or the travel amount is above the maximum for one line."),
    WARN(LV_0586_DECLARED_LATE, "0586",
         "Declared after the deadline for the service month; counted, but flagged."),
    LINE(LV_0587_ALREADY_DECLARED, "0587",
         "The period overlaps an accepted, uncredited debit of the same client and prestatie."),
    WARN(LV_0611_TARIFF_NOT_PER_CONTRACT, "0611",
         "The declared amount differs from the price computed from the tariff and rate."),
    LINE(LV_0631_DEBIT_CREDIT_MISSING, "0631",
         "The debit/credit indicator is missing or not D or C."),
    LINE(LV_0638_QUANTITY_INVALID, "0638",
         "The quantity is missing, zero or negative, or the travel amount is negative."),
    LINE(LV_8007_SERVICE_DATE_INVALID, "8007",
         "The service date is missing, the end is before the start, or the period ends after "
         "the submission arrived."),
    LINE(LV_8017_CREDIT_WITHOUT_DEBIT, "8017",
         "The credit line names no accepted debit line of this provider."),
    LINE(LV_8021_REFERENCE_NOT_UNIQUE, "8021",
         "The line reference was already used by this provider."),
    LINE(LV_8022_NO_DESIGNATION, "8022",
         "No single REC/DEC designation of the provider for this target group covers the whole "
         "period of the line."),
    LINE(LV_8084_DEBIT_ALREADY_CREDITED, "8084", "The debit line was already credited."),
    /* Vektis file codes */
    FILE_ROW(LV_0150_FILE_TOTAL_WRONG, "0150",
             "The total declared amount in the trailer does not match the lines."),
    FILE_ROW(LV_0151_COUNT_CLIENTS_WRONG, "0151",
             "The trailer's count of 02 client records does not match the file."),
    FILE_ROW(LV_0153_COUNT_COMMENTS_WRONG, "0153",
             "The trailer's count of 98 comment records does not match the file."),
    FILE_ROW(LV_0156_COUNT_DETAILS_WRONG, "0156",
             "The trailer's count of detail records (02, 03, 04 and 98) does not match the file."),
    FILE_ROW(LV_0157_COUNT_DEBTORS_WRONG, "0157",
             "The trailer's count of 03 debtor records does not match the file."),
    FILE_ROW(LV_0158_COUNT_SERVICES_WRONG, "0158",
             "The trailer's count of 04 service records does not match the file."),
    /* Own line codes, 9100-9199 */
    LINE(LV_9101_GROUP_NO_CA, "9101",
         "This target group (LBS) has no consultatie en advies; the line cannot be declared."),
    LINE(LV_9102_GROUP_NOT_YET_DECLARABLE, "9102",
         "C&A for this target group is not declarable on the service date (NAH+ and MS+ from "
         "2026-01-01)."),
    LINE(LV_9103_TIME_UNIT_UNKNOWN, "9103", "The time unit code is not known."),
    LINE(LV_9104_DATES_SPAN_MONTHS, "9104",
         "A line must cover one calendar month; start and end are in different months."),
    LINE(LV_9105_NO_RATE_FOR_YEAR, "9105",
         "No tariff percentage (rate) is known for this provider and year."),
    LINE(LV_9106_AMOUNT_OVERFLOW, "9106", "The amount is too large to compute."),
    LINE(LV_9107_FIELD_MISSING, "9107", "A required field is missing."),
    LINE(LV_9108_FIELD_INVALID, "9108", "A field has an invalid value."),
    LINE(LV_9109_PROVIDER_UNKNOWN, "9109", "The provider's AGB code is not known."),
    LINE(LV_9110_YEAR_MIXED, "9110", "A submission must cover one calendar year only."),
    LINE(LV_9111_CREDIT_MISMATCH, "9111",
         "The credit line does not repeat the debit line it reverses."),
    LINE(LV_9112_TRAVEL_INVALID, "9112",
         "A travel amount is given on a travel prestatie, which is priced from its tariff."),
    /* Own file codes, 9200-9299 */
    FILE_ROW(LV_9201_RECORD_LENGTH, "9201", "A record does not have the required length."),
    FILE_ROW(LV_9202_RECORD_TYPE_UNKNOWN, "9202", "A record has an unknown record type."),
    FILE_ROW(LV_9203_RECORD_ORDER, "9203", "The records are not in the required order."),
    FILE_ROW(LV_9204_NUMBER_INVALID, "9204", "A numeric field holds something other than digits."),
    FILE_ROW(LV_9205_DATE_INVALID, "9205", "A date field does not hold a valid date."),
    FILE_ROW(LV_9206_ENCODING_INVALID, "9206", "The file is not valid in its character encoding."),
    ROW(LV_9207_TOO_MANY_LINES, "9207", 413, LV_SEV_FILE,
        "The submission has more lines than allowed; split it into smaller ones."),
    FILE_ROW(LV_9208_CSV_SYNTAX, "9208", "The CSV file is not well formed."),
    FILE_ROW(LV_9209_JSON_SYNTAX, "9209", "The JSON document is not well formed."),
    FILE_ROW(LV_9210_HEADER_MISMATCH, "9210",
             "The header does not match what is expected (columns, provider or period)."),
    FILE_ROW(LV_9211_EMPTY_SUBMISSION, "9211", "The submission holds no service lines."),
    /* HTTP / request level */
    HTTP(LV_HTTP_BAD_REQUEST, "bad_request", 400, "The request is malformed."),
    HTTP(LV_HTTP_UNAUTHORIZED, "unauthorized", 401, "A valid bearer token is required."),
    HTTP(LV_HTTP_FORBIDDEN, "forbidden", 403, "This token's role may not do this."),
    HTTP(LV_HTTP_NOT_FOUND, "not_found", 404, "Not found."),
    HTTP(LV_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed", 405,
         "This method is not allowed on this resource."),
    HTTP(LV_HTTP_CONFLICT, "conflict", 409,
         "A submission with this identity exists with different content."),
    HTTP(LV_HTTP_PAYLOAD_TOO_LARGE, "payload_too_large", 413, "The request body is too large."),
    HTTP(LV_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", 415,
         "The request body has an unsupported content type."),
    HTTP(LV_HTTP_UNPROCESSABLE, "unprocessable", 422,
         "The request is well formed but cannot be processed."),
    HTTP(LV_HTTP_INTERNAL, "internal", 500, "Internal error."),
    HTTP(LV_HTTP_UNAVAILABLE, "unavailable", 503, "The service is temporarily unavailable."),
    HTTP(LV_DECLARATION_NOT_FOUND, "declaration_not_found", 404,
         "No such declaration (submission)."),
    HTTP(LV_PROVIDER_NOT_FOUND, "provider_not_found", 404, "No such provider."),
    HTTP(LV_GROUP_NOT_FOUND, "group_not_found", 404, "No such target group."),
    HTTP(LV_ALERT_NOT_FOUND, "alert_not_found", 404, "No such alert."),
    HTTP(LV_ALERT_ALREADY_RESOLVED, "alert_already_resolved", 409,
         "The alert is resolved; only an active alert can be acknowledged."),
    HTTP(LV_CONFIG_INVALID, "config_invalid", 500, "The configuration is not valid."),
    HTTP(LV_FILE_UNREADABLE, "file_unreadable", 500, "A file could not be read."),
    HTTP(LV_SCHEMA_NOT_CURRENT, "schema_not_current", 503,
         "The database schema is not the one this build expects."),
    HTTP(LV_INPUT_INVALID, "invalid_input", 500, "A computation was given invalid input."),
    HTTP(LV_OUT_OF_MEMORY, "out_of_memory", 500, "Out of memory."),
    HTTP(LV_TOKEN_REVOKED, "token_revoked", 401, "This token was revoked."),
    HTTP(LV_TOKEN_EXPIRED, "token_expired", 401, "This token has expired."),
    HTTP(LV_HTTP_BODY_NOT_ALLOWED, "body_not_allowed", 413, "This endpoint takes no request body."),
    HTTP(LV_DB_BUSY, "busy", 503, "Every database connection is busy; try again shortly."),
    HTTP(LV_DB_TIMEOUT, "query_timeout", 503,
         "The database did not answer in time; try again shortly."),
    HTTP(LV_AUDIT_FAILED, "audit_failed", 500,
         "The access could not be recorded in the audit trail, so it was refused."),
    HTTP(LV_REPORT_FAILED, "report_failed", 500, "The month-end workbook could not be written."),
};

_Static_assert(sizeof registry / sizeof registry[0] == LV_CODE_COUNT,
               "the code registry must have exactly one row per lv_code");

const lv_code_info *lv_code_get(lv_code code)
{
    /* The comparison goes through unsigned so a negative value cast to lv_code is
     * also out of range. */
    if ((unsigned)code >= (unsigned)LV_CODE_COUNT || !registry[code].id)
        return &registry[LV_HTTP_INTERNAL];
    return &registry[code];
}

lv_code lv_code_by_id(const char *id)
{
    if (!id)
        return LV_OK;
    for (size_t i = 0; i < LV_CODE_COUNT; i++)
        if (registry[i].id && strcmp(registry[i].id, id) == 0)
            return registry[i].code;
    return LV_OK;
}
