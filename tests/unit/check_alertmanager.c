/*
 * check_alertmanager.c: Check suite for the Alertmanager payload (daemon/alerts/
 * alertmanager.h): an alert object of the API becomes a postable alert with its labels,
 * annotations, startsAt and generatorURL; endsAt only when it is resolved; nothing else
 * (fingerprint, status, acknowledgement) leaks into what Alertmanager receives.
 */
#include <string.h>

#include "alerts/alertmanager.h"
#include "unit_runner.h"

typedef struct {
    const char *alert;         /* an API alert object */
    const char *ends_at;       /* expected endsAt, NULL: absent */
    const char *generator_url; /* expected generatorURL */
} payload_case;

static const payload_case cases[] = {
    {"{\"fingerprint\": \"98b80131cea6736c\", \"labels\": {\"alertname\": "
     "\"BudgetThresholdReached\", \"threshold\": \"0.5\", \"year\": \"2026\"}, "
     "\"annotations\": {\"summary\": \"s\", \"description\": \"d\"}, "
     "\"startsAt\": \"2026-11-23T10:00:00Z\", \"endsAt\": null, \"status\": {\"state\": "
     "\"firing\"}, \"acknowledged_by\": \"J\", \"acknowledged_at\": \"2026-11-23T10:01:00Z\"}",
     NULL, "http://127.0.0.1:8080/api/v1/alerts/98b80131cea6736c"},
    {"{\"fingerprint\": \"0123456789abcdef\", \"labels\": {\"alertname\": \"X\"}, "
     "\"annotations\": {\"summary\": \"s\", \"description\": \"d\"}, "
     "\"startsAt\": \"2026-11-23T10:00:00Z\", \"endsAt\": \"2026-11-23T11:00:00Z\", "
     "\"status\": {\"state\": \"resolved\"}, \"acknowledged_by\": null, "
     "\"acknowledged_at\": null}",
     "2026-11-23T11:00:00Z", "http://127.0.0.1:8080/api/v1/alerts/0123456789abcdef"},
};

START_TEST(test_payload)
{
    const payload_case *c = &cases[_i];
    json_t *alert = json_loads(c->alert, 0, NULL);
    ck_assert_ptr_nonnull(alert);
    json_t *alerts = json_pack("[O]", alert);
    json_t *out = alertmanager_payload_new(alerts, "http://127.0.0.1:8080");
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_eq(json_array_size(out), 1);
    json_t *p = json_array_get(out, 0);
    ck_assert(json_equal(json_object_get(p, "labels"), json_object_get(alert, "labels")));
    ck_assert(json_equal(json_object_get(p, "annotations"), json_object_get(alert, "annotations")));
    ck_assert_str_eq(json_string_value(json_object_get(p, "startsAt")), "2026-11-23T10:00:00Z");
    ck_assert_str_eq(json_string_value(json_object_get(p, "generatorURL")), c->generator_url);
    if (c->ends_at == NULL)
        ck_assert_ptr_null(json_object_get(p, "endsAt"));
    else
        ck_assert_str_eq(json_string_value(json_object_get(p, "endsAt")), c->ends_at);
    /* Exactly Alertmanager's postable fields. */
    ck_assert_uint_eq(json_object_size(p), c->ends_at ? 5 : 4);
    json_decref(out);
    json_decref(alerts);
    json_decref(alert);
}
END_TEST

START_TEST(test_empty)
{
    json_t *alerts = json_array();
    json_t *out = alertmanager_payload_new(alerts, "http://x");
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_eq(json_array_size(out), 0);
    json_decref(out);
    json_decref(alerts);
}
END_TEST

START_TEST(test_unreachable)
{
    /* Port 1 on loopback refuses at once: a failure with a reason, well within 5 s. */
    ck_assert(alertmanager_global_init());
    json_t *payload = json_array();
    char err[256] = "";
    ck_assert(!alertmanager_post("http://127.0.0.1:1/", payload, err, sizeof err));
    ck_assert(strlen(err) > 0);
    ck_assert(!alertmanager_post("ftp://127.0.0.1:1/", payload, err, sizeof err));
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
