/*
 * check_alertmanager.c: Check suite for the Alertmanager payload (daemon/alerts/
 * alertmanager.h): an alert as the database layer reads it (aq_alert) becomes a postable
 * alert with its labels, annotations, startsAt and generatorURL; endsAt only when it is
 * resolved; nothing else (fingerprint, status, acknowledgement) leaks into what
 * Alertmanager receives.
 */
#include <string.h>

#include "alerts/alertmanager.h"
#include "unit_runner.h"

typedef struct {
    const char *fingerprint;
    const char *labels; /* JSON */
    const char *state;
    const char *ends_at; /* the alert's endsAt, and the expected one; NULL: absent */
    const char *acknowledged_by;
    const char *generator_url; /* expected generatorURL */
} payload_case;

static const payload_case cases[] = {
    {"98b80131cea6736c",
     "{\"alertname\": \"BudgetThresholdReached\", \"threshold\": \"0.5\", \"year\": \"2026\"}",
     "firing", NULL, "J", "http://127.0.0.1:8080/api/v1/alerts/98b80131cea6736c"},
    {"0123456789abcdef", "{\"alertname\": \"X\"}", "resolved", "2026-11-23T11:00:00Z", NULL,
     "http://127.0.0.1:8080/api/v1/alerts/0123456789abcdef"},
};

START_TEST(test_payload)
{
    const payload_case *c = &cases[_i];
    aq_alert alert = {.fingerprint = c->fingerprint,
                      .labels = json_loads(c->labels, 0, NULL),
                      .annotations = json_pack("{s:s, s:s}", "summary", "s", "description", "d"),
                      .state = c->state,
                      .starts_at = "2026-11-23T10:00:00Z",
                      .ends_at = c->ends_at,
                      .active_at = "2026-11-23T09:59:00Z",
                      .value = 0.5,
                      .acknowledged_by = c->acknowledged_by,
                      .acknowledged_at = c->acknowledged_by ? "2026-11-23T10:01:00Z" : NULL};
    ck_assert_ptr_nonnull(alert.labels);
    aq_alert_list alerts = {.items = &alert, .n = 1};
    json_t *out = alertmanager_payload_new(&alerts, "http://127.0.0.1:8080");
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_eq(json_array_size(out), 1);
    json_t *p = json_array_get(out, 0);
    ck_assert(json_equal(json_object_get(p, "labels"), alert.labels));
    ck_assert(json_equal(json_object_get(p, "annotations"), alert.annotations));
    ck_assert_str_eq(json_string_value(json_object_get(p, "startsAt")), "2026-11-23T10:00:00Z");
    ck_assert_str_eq(json_string_value(json_object_get(p, "generatorURL")), c->generator_url);
    if (c->ends_at == NULL)
        ck_assert_ptr_null(json_object_get(p, "endsAt"));
    else
        ck_assert_str_eq(json_string_value(json_object_get(p, "endsAt")), c->ends_at);
    /* Exactly Alertmanager's postable fields. */
    ck_assert_uint_eq(json_object_size(p), c->ends_at ? 5 : 4);
    json_decref(out);
    json_decref(alert.labels);
    json_decref(alert.annotations);
}
END_TEST

START_TEST(test_empty)
{
    aq_alert_list alerts = {0};
    json_t *out = alertmanager_payload_new(&alerts, "http://x");
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_eq(json_array_size(out), 0);
    json_decref(out);
}
END_TEST

START_TEST(test_unreachable)
{
    /* Port 1 on loopback refuses at once: a failure with a reason, well within 5 s. */
    ck_assert(alertmanager_global_init());
    json_t *payload = json_array();
    lv_error err = {0};
    ck_assert(!alertmanager_post("http://127.0.0.1:1/", payload, &err));
    ck_assert(strlen(err.message) > 0);
    ck_assert_int_eq(err.code, LV_HTTP_UNAVAILABLE);
    ck_assert(!alertmanager_post("ftp://127.0.0.1:1/", payload, &err));
    json_decref(payload);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("alertmanager");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_payload, 0, N_CASES(cases));
    tcase_add_test(tc, test_empty);
    tcase_add_test(tc, test_unreachable);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
