/*
 * check_http_routes.c: Check suite for the routing of daemon/http/routes.c and the path
 * parameters of daemon/http/request.c: path splitting, matching with HEAD and 405's Allow
 * list, {param} segments.
 */
#include <stdio.h>
#include <string.h>

#include "http/handlers.h"
#include "http/routes.h"
#include "unit_runner.h"

typedef struct {
    const char *path;
    size_t n; /* expected segments; 0 = refused */
    const char *segs[4];
} split_case;

static const split_case split_cases[] = {
    {"/", 1, {""}},
    {"/healthz", 1, {"healthz"}},
    {"/api/v1/status", 3, {"api", "v1", "status"}},
    {"/a/", 2, {"a", ""}},
    {"//", 2, {"", ""}},
    {"healthz", 0, {NULL}},
    {"", 0, {NULL}},
    {"/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16", 16, {"1", "2", "3", "4"}},
    {"/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17", 0, {NULL}},
};

START_TEST(test_split)
{
    const split_case *c = &split_cases[_i];
    char buf[128];
    snprintf(buf, sizeof buf, "%s", c->path);
    char *segs[HTTP_MAX_SEGMENTS];
    size_t n = http_path_split(buf, segs, HTTP_MAX_SEGMENTS);
    ck_assert_uint_eq(n, c->n);
    for (size_t i = 0; i < n && i < 4; i++)
        ck_assert_str_eq(segs[i], c->segs[i]);
}
END_TEST

typedef struct {
    const char *method;
    const char *path;
    http_handler handler; /* NULL: no route */
    const char *allow;
} find_case;

static const find_case find_cases[] = {
    {"GET", "/healthz", http_handler_healthz_get, ""},
    {"HEAD", "/healthz", http_handler_healthz_get, ""},
    {"GET", "/readyz", http_handler_readyz_get, ""},
    {"GET", "/api/v1/whoami", http_handler_whoami_get, ""},
    {"POST", "/healthz", NULL, "GET, HEAD"},
    {"DELETE", "/readyz", NULL, "GET, HEAD"},
    {"GET", "/healthz/", NULL, ""},
    {"GET", "/api/v1", NULL, ""},
    {"GET", "/api/v1/whoami/x", NULL, ""},
    /* one-segment paths fall through to the dashboard's files */
    {"GET", "/", http_handler_static_get, ""},
    {"GET", "/healthzz", http_handler_static_get, ""},
    /* several patterns of one path: each method once in Allow */
    {"get", "/healthz", NULL, "GET, HEAD"},
    {"POST", "/app.js", NULL, "GET, HEAD"},
};

START_TEST(test_find)
{
    const find_case *c = &find_cases[_i];
    char buf[128];
    snprintf(buf, sizeof buf, "%s", c->path);
    char *segs[HTTP_MAX_SEGMENTS];
    size_t n = http_path_split(buf, segs, HTTP_MAX_SEGMENTS);
    char allow[64];
    const http_route *r = http_route_find(c->method, segs, n, allow, sizeof allow);
    if (c->handler == NULL) {
        ck_assert_ptr_null(r);
    } else {
        ck_assert_ptr_nonnull(r);
        ck_assert(r->handler == c->handler);
    }
    ck_assert_str_eq(allow, c->allow);
}
END_TEST

/* Path parameters are read by their name in the pattern. */
START_TEST(test_params)
{
    const http_route route = {"GET", "/api/v1/providers/{agb}/declarations/{id}", NULL, 0, 0};
    http_request req;
    memset(&req, 0, sizeof req);
    char path[] = "/api/v1/providers/41000001/declarations/17";
    req.route = &route;
    req.n_segments = http_path_split(path, req.segments, HTTP_MAX_SEGMENTS);
    ck_assert_uint_eq(req.n_segments, 6);
    ck_assert_str_eq(http_request_param(&req, "agb"), "41000001");
    ck_assert_str_eq(http_request_param(&req, "id"), "17");
    ck_assert_ptr_null(http_request_param(&req, "ag"));
    ck_assert_ptr_null(http_request_param(&req, "providers"));
    ck_assert_ptr_null(http_request_param(&req, "year"));
    req.route = NULL;
    ck_assert_ptr_null(http_request_param(&req, "agb"));
}
END_TEST

static Suite *http_routes_suite(void)
{
    Suite *s = suite_create("http_routes");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_split, 0, N_CASES(split_cases));
    tcase_add_loop_test(tc, test_find, 0, N_CASES(find_cases));
    tcase_add_test(tc, test_params);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(http_routes_suite)
