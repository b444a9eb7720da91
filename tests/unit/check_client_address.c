/*
 * check_client_address.c: Check suite for daemon/http/client_address.c (the walk over
 * X-Forwarded-For behind trusted proxies) and the filters of the audit trail
 * (audit_filter_check(), audit_actor_key_valid() of daemon/audit.c).
 */
#include <string.h>

#include "audit.h"
#include "config_parse.h"
#include "http/client_address.h"
#include "unit_runner.h"

typedef struct {
    const char *name;
    const char *trusted; /* [server] trusted_proxies */
    const char *peer;
    const char *forwarded;
    const char *client;
} forwarded_case;

static const forwarded_case FORWARDED[] = {
    {"one proxy", "10.0.0.1", "10.0.0.1", "203.0.113.5", "203.0.113.5"},
    {"spaces", "10.0.0.1", "10.0.0.1", "  203.0.113.5  ", "203.0.113.5"},
    {"a forged entry on the left is not believed", "10.0.0.1", "10.0.0.1", "1.2.3.4, 203.0.113.5",
     "203.0.113.5"},
    {"two trusted proxies", "10.0.0.1, 10.0.0.2", "10.0.0.1", "203.0.113.5, 10.0.0.2",
     "203.0.113.5"},
    {"every entry a trusted proxy: the left-most", "10.0.0.1, 10.0.0.2", "10.0.0.1", "10.0.0.2",
     "10.0.0.2"},
    {"garbage: the last trusted address stands", "10.0.0.1", "10.0.0.1", "unknown", "10.0.0.1"},
    {"garbage behind a second proxy", "10.0.0.1, 10.0.0.2", "10.0.0.1", "nonsense, 10.0.0.2",
     "10.0.0.2"},
    {"an address with a port is garbage", "10.0.0.1", "10.0.0.1", "203.0.113.5:4711", "10.0.0.1"},
    {"IPv6, written the short way", "::1", "::1", "2001:DB8:0:0::7", "2001:db8::7"},
    {"empty entries", "10.0.0.1", "10.0.0.1", ",", "10.0.0.1"},
    {"an over-long entry", "10.0.0.1", "10.0.0.1",
     "1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:bbbb", "10.0.0.1"},
};

START_TEST(forwarded)
{
    const forwarded_case *c = &FORWARDED[_i];
    char text[128];
    snprintf(text, sizeof text, "[server]\ntrusted_proxies = %s\n", c->trusted);
    lv_error err = {0};
    lv_config *cfg = config_parse_new(text, &err);
    ck_assert_msg(cfg != NULL, "%s: %s", c->name, err.message);
    char client[AUDIT_ADDRESS_LEN];
    http_forwarded_client(&cfg->trusted_proxies, c->peer, c->forwarded, client);
    ck_assert_msg(strcmp(client, c->client) == 0, "%s: got %s, want %s", c->name, client,
                  c->client);
    config_free(cfg);
}
END_TEST

typedef struct {
    const char *from, *to, *actor, *action;
    const char *field; /* NULL: valid */
} filter_case;

static const filter_case FILTERS[] = {
    {NULL, NULL, NULL, NULL, NULL},
    {"2026-01-01", "2026-12-31", "token:12", "declarations.read", NULL},
    {"2026-05-01", "2026-05-01", "cli:alice", "token.revoke", NULL},
    {"2026-02-30", NULL, NULL, NULL, "--from"},
    {"2026-1-01", NULL, NULL, NULL, "--from"},
    {NULL, "tomorrow", NULL, NULL, "--to"},
    {"2026-05-02", "2026-05-01", NULL, NULL, "--to"},
    {NULL, NULL, "alice", NULL, "--actor"},
    {NULL, NULL, "token:", NULL, "--actor"},
    {NULL, NULL, "token:1x", NULL, "--actor"},
    {NULL, NULL, "cli:", NULL, "--actor"},
    {NULL, NULL, "cli:a\tb", NULL, "--actor"},
    {NULL, NULL, NULL, "declarations.delete", "--action"},
    {NULL, NULL, NULL, "", "--action"},
};

START_TEST(filters)
{
    static const char *const NAMES[4] = {"--from", "--to", "--actor", "--action"};
    const filter_case *c = &FILTERS[_i];
    lv_error err = {0};
    bool ok = audit_filter_check(c->from, c->to, c->actor, c->action, NAMES, &err);
    if (c->field == NULL) {
        ck_assert_msg(ok, "case %d refused: %s", _i, err.message);
        return;
    }
    ck_assert_msg(!ok, "case %d accepted", _i);
    ck_assert_str_eq(err.field, c->field);
    ck_assert_int_eq(err.code, LV_HTTP_BAD_REQUEST);
    ck_assert_msg(strstr(err.message, c->field) == err.message, "message: %s", err.message);
}
END_TEST

static Suite *client_address_suite(void)
{
    Suite *s = suite_create("client_address");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, forwarded, 0, N_CASES(FORWARDED));
    tcase_add_loop_test(tc, filters, 0, N_CASES(FILTERS));
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(client_address_suite)
