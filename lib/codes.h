/*
 * codes.h: the one registry of return codes. Every rejected or flagged declaration line,
 * every file rejected whole and every HTTP error reply takes its code, HTTP status and
 * readable reason from the table in codes.c, so a client sees the same words everywhere.
 *
 * Line codes reuse the Vektis AW319 return-code numbers (COD954-VEKT) where the meaning
 * matches, so that controllers recognise them; the trailer checks use Vektis's own numbers
 * for each count (0151 client records, 0153 comment records, 0156 all detail records, 0157
 * debtor records, 0158 service records, 0150 the total amount). Codes of our own live in the
 * range 9100-9199 (line rules that Vektis does not have, such as LBS or NAH+/MS+ before 2026)
 * and 9200-9299 (file and format defects). HTTP-level errors use lower-case names
 * ("unauthorized", "payload_too_large"), one per situation where a client can act on the
 * difference ("declaration_not_found", "alert_already_resolved" rather than one
 * "not_found"). The service's own failures (configuration, files, schema, a computation's
 * input) have codes too, so that every lv_error (error.h) carries one, whether it ends on a
 * terminal or in an answer.
 */
#ifndef LVHCMON_CODES_H
#define LVHCMON_CODES_H

#include <stdbool.h>

typedef enum {
    LV_OK = 0,
    /* Vektis line codes */
    LV_0435_BSN_INVALID,
    LV_0581_PRESTATIE_LIST_UNKNOWN,
    LV_0582_PRESTATIE_UNKNOWN,
    LV_0584_QUANTITY_OVER_MAX,
    LV_0586_DECLARED_LATE, /* warning: line stays accepted */
    LV_0587_ALREADY_DECLARED,
    LV_0611_TARIFF_NOT_PER_CONTRACT, /* warning: declared amount differs from our price */
    LV_0631_DEBIT_CREDIT_MISSING,
    LV_0638_QUANTITY_INVALID,
    LV_8007_SERVICE_DATE_INVALID,
    LV_8017_CREDIT_WITHOUT_DEBIT,
    LV_8021_REFERENCE_NOT_UNIQUE,
    LV_8022_NO_DESIGNATION,
    LV_8084_DEBIT_ALREADY_CREDITED,
    /* Vektis file codes */
    LV_0150_FILE_TOTAL_WRONG,
    LV_0151_COUNT_CLIENTS_WRONG,  /* trailer @3: 02 client records */
    LV_0153_COUNT_COMMENTS_WRONG, /* trailer @21: 98 comment records */
    LV_0156_COUNT_DETAILS_WRONG,  /* trailer @27: all detail records (02+03+04+98) */
    LV_0157_COUNT_DEBTORS_WRONG,  /* trailer @9: 03 debtor records */
    LV_0158_COUNT_SERVICES_WRONG, /* trailer @15: 04 service records */
    /* Own line codes, 9100-9199 */
    LV_9101_GROUP_NO_CA,              /* LBS: no C&A exists */
    LV_9102_GROUP_NOT_YET_DECLARABLE, /* NAH+/MS+ before their start date */
    LV_9103_TIME_UNIT_UNKNOWN,
    LV_9104_DATES_SPAN_MONTHS,
    LV_9105_NO_RATE_FOR_YEAR,
    LV_9106_AMOUNT_OVERFLOW,
    LV_9107_FIELD_MISSING,
    LV_9108_FIELD_INVALID,
    LV_9109_PROVIDER_UNKNOWN,
    LV_9110_YEAR_MIXED,
    LV_9111_CREDIT_MISMATCH,
    LV_9112_TRAVEL_INVALID,
    /* Own file codes, 9200-9299 */
    LV_9201_RECORD_LENGTH,
    LV_9202_RECORD_TYPE_UNKNOWN,
    LV_9203_RECORD_ORDER,
    LV_9204_NUMBER_INVALID,
    LV_9205_DATE_INVALID,
    LV_9206_ENCODING_INVALID,
    LV_9207_TOO_MANY_LINES,
    LV_9208_CSV_SYNTAX,
    LV_9209_JSON_SYNTAX,
    LV_9210_HEADER_MISMATCH,
    LV_9211_EMPTY_SUBMISSION,
    /* HTTP / request level */
    LV_HTTP_BAD_REQUEST,
    LV_HTTP_UNAUTHORIZED,
    LV_HTTP_FORBIDDEN,
    LV_HTTP_NOT_FOUND,
    LV_HTTP_METHOD_NOT_ALLOWED,
    LV_HTTP_CONFLICT,
    LV_HTTP_PAYLOAD_TOO_LARGE,
    LV_HTTP_UNSUPPORTED_MEDIA_TYPE,
    LV_HTTP_UNPROCESSABLE,
    LV_HTTP_INTERNAL,
    LV_HTTP_UNAVAILABLE,
    /* Not found, per situation (404), and states that forbid an action (409) */
    LV_DECLARATION_NOT_FOUND,
    LV_PROVIDER_NOT_FOUND,
    LV_GROUP_NOT_FOUND,
    LV_ALERT_NOT_FOUND,
    LV_ALERT_ALREADY_RESOLVED,
    /* Failures of the service itself: configuration, files, schema, computations */
    LV_CONFIG_INVALID,
    LV_FILE_UNREADABLE,
    LV_SCHEMA_NOT_CURRENT,
    LV_INPUT_INVALID,
    LV_OUT_OF_MEMORY,
    /* Access, limits and the audit trail */
    LV_TOKEN_REVOKED,         /* 401: the token was revoked */
    LV_TOKEN_EXPIRED,         /* 401: the token is past its expiry */
    LV_HTTP_BODY_NOT_ALLOWED, /* 413: a body sent to an endpoint that takes none */
    LV_DB_BUSY,               /* 503: every database connection stayed busy */
    LV_DB_TIMEOUT,            /* 503: a statement ran past [database] statement_timeout_ms */
    LV_AUDIT_FAILED,          /* 500: the audit row could not be written, so nothing was served */
    LV_CODE_COUNT
} lv_code;

typedef enum {
    LV_SEV_NONE = 0,
    LV_SEV_WARNING, /* the line is accepted and the code is listed */
    LV_SEV_REJECT,  /* the line is rejected */
    LV_SEV_FILE,    /* the whole submission is rejected, nothing stored */
    LV_SEV_HTTP     /* request-level error */
} lv_severity;

typedef struct {
    lv_code code;
    const char *id;  /* stable external code: "0435", "9101", "unauthorized" */
    int http_status; /* status when this code answers a request on its own */
    lv_severity severity;
    const char *reason; /* readable English reason */
} lv_code_info;

/** @return the registry entry of @a code (never NULL; unknown codes map to LV_HTTP_INTERNAL). */
const lv_code_info *lv_code_get(lv_code code);

/** @return the code whose external id is @a id, or LV_OK when none. */
lv_code lv_code_by_id(const char *id);

#endif
