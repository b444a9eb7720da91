/*
 * routes.c: THE routing table (see routes.h) and the matcher.
 *
 * The table is small and matching walks it linearly. Each pattern is split once, at the
 * first lookup, into its segments' lengths and kinds (route_shapes), so that a lookup skips
 * every route with another number of segments at once and compares the others with a
 * length check and memcmp: no strlen or strcspn of patterns per request, no allocation.
 */
#include "http/routes.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "http/handlers.h"

static const http_route ROUTES[] = {
    /* method, pattern, handler, roles, flags */
    {"GET", "/healthz", http_handler_healthz_get, HTTP_PUBLIC, 0},
    {"GET", "/readyz", http_handler_readyz_get, HTTP_PUBLIC, 0},
    {"GET", "/api/v1/whoami", http_handler_whoami_get, AUTH_ROLES_ANY, 0},
    {"POST", "/api/v1/declarations", http_handler_declarations_post,
     AUTH_ROLE_INGEST | AUTH_ROLE_PROVIDER, HTTP_ROUTE_BODY | HTTP_ROUTE_OWN_THREAD},
    {"POST", "/api/v1/declarations/aw319", http_handler_declarations_aw319_post,
     AUTH_ROLE_INGEST | AUTH_ROLE_PROVIDER, HTTP_ROUTE_BODY | HTTP_ROUTE_OWN_THREAD},
    {"POST", "/api/v1/declarations/csv", http_handler_declarations_csv_post,
     AUTH_ROLE_INGEST | AUTH_ROLE_PROVIDER, HTTP_ROUTE_BODY | HTTP_ROUTE_OWN_THREAD},
    {"GET", "/api/v1/declarations/{id}", http_handler_declaration_get,
     AUTH_ROLE_CONTROLLER | AUTH_ROLE_PROVIDER, 0},
    {"GET", "/api/v1/providers/{agb}/declarations", http_handler_provider_declarations_get,
     AUTH_ROLE_CONTROLLER | AUTH_ROLE_PROVIDER, 0},
    {"GET", "/api/v1/providers/{agb}/submissions", http_handler_provider_submissions_get,
     AUTH_ROLE_CONTROLLER | AUTH_ROLE_PROVIDER, 0},
    {"GET", "/api/v1/providers/{agb}/declarations.csv", http_handler_provider_declarations_csv_get,
     AUTH_ROLE_CONTROLLER | AUTH_ROLE_PROVIDER, 0},
    {"GET", "/metrics", http_handler_metrics_get, HTTP_PUBLIC, HTTP_ROUTE_METRICS_AUTH},
    {"GET", "/api/v1/status", http_handler_status_get,
     AUTH_ROLE_CONTROLLER | AUTH_ROLE_DASHBOARD | AUTH_ROLE_PROVIDER, 0},
    {"GET", "/api/v1/groups/{code}", http_handler_group_get,
     AUTH_ROLE_CONTROLLER | AUTH_ROLE_DASHBOARD | AUTH_ROLE_PROVIDER, 0},
    {"GET", "/api/v1/providers", http_handler_providers_get, AUTH_ROLE_CONTROLLER, 0},
    {"GET", "/api/v1/providers/{agb}", http_handler_provider_get,
     AUTH_ROLE_CONTROLLER | AUTH_ROLE_PROVIDER, 0},
    {"GET", "/api/v1/report.xlsx", http_handler_report_get, AUTH_ROLE_CONTROLLER,
     HTTP_ROUTE_OWN_THREAD},
    {"GET", "/api/v1/alerts", http_handler_alerts_get,
     AUTH_ROLE_CONTROLLER | AUTH_ROLE_DASHBOARD | AUTH_ROLE_PROVIDER, 0},
    {"GET", "/api/v1/alerts/{fingerprint}", http_handler_alert_get,
     AUTH_ROLE_CONTROLLER | AUTH_ROLE_DASHBOARD | AUTH_ROLE_PROVIDER, 0},
    {"POST", "/api/v1/alerts/{fingerprint}/ack", http_handler_alert_ack_post, AUTH_ROLE_CONTROLLER,
     HTTP_ROUTE_BODY},
    {"GET", "/api/v1/audit", http_handler_audit_get, AUTH_ROLE_CONTROLLER, 0},
    /* The dashboard: last, so that every API path above wins. */
    {"GET", "/", http_handler_static_get, HTTP_PUBLIC, 0},
    {"GET", "/{file}", http_handler_static_get, HTTP_PUBLIC, 0},
};

#define N_ROUTES (sizeof ROUTES / sizeof ROUTES[0])

/* A pattern split into segments: each one literal (text at pattern + offset, len bytes) or
 * a {name} parameter. */
typedef struct {
    size_t n;
    struct {
        unsigned short offset, len;
        bool param;
    } seg[HTTP_MAX_SEGMENTS];
} route_shape;

static route_shape route_shapes[N_ROUTES];
static pthread_once_t route_shapes_once = PTHREAD_ONCE_INIT;

static void route_shapes_init(void)
{
    for (size_t r = 0; r < N_ROUTES; r++) {
        const char *pattern = ROUTES[r].pattern;
        route_shape *shape = &route_shapes[r];
        const char *p = pattern;
        while (*p == '/' && shape->n < HTTP_MAX_SEGMENTS) {
            p++;
            size_t len = strcspn(p, "/");
            shape->seg[shape->n].offset = (unsigned short)(p - pattern);
            shape->seg[shape->n].len = (unsigned short)len;
            shape->seg[shape->n].param = len >= 2 && p[0] == '{' && p[len - 1] == '}';
            shape->n++;
            p += len;
        }
    }
}

size_t http_path_split(char *path, char **segments, size_t max)
{
    if (path[0] != '/')
        return 0;
    size_t n = 0;
    char *p = path;
    while (*p == '/') {
        if (n == max)
            return 0;
        *p++ = '\0';
        segments[n++] = p;
        p += strcspn(p, "/");
    }
    return n;
}

static bool route_matches(size_t r, char *const *segments, const size_t *lens, size_t n)
{
    const route_shape *shape = &route_shapes[r];
    if (shape->n != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (shape->seg[i].param) {
            if (lens[i] == 0)
                return false;
        } else if (lens[i] != shape->seg[i].len ||
                   memcmp(segments[i], ROUTES[r].pattern + shape->seg[i].offset, lens[i]) != 0) {
            return false;
        }
    }
    return true;
}

const http_route *http_route_find(const char *method, char *const *segments, size_t n, char *allow,
                                  size_t allow_len)
{
    if (strcmp(method, "HEAD") == 0)
        method = "GET";
    allow[0] = '\0';
    if (n > HTTP_MAX_SEGMENTS)
        return NULL;
    pthread_once(&route_shapes_once, route_shapes_init);
    size_t lens[HTTP_MAX_SEGMENTS];
    for (size_t i = 0; i < n; i++)
        lens[i] = strlen(segments[i]);
    size_t used = 0;
    for (size_t i = 0; i < N_ROUTES; i++) {
        if (!route_matches(i, segments, lens, n))
            continue;
        if (strcmp(ROUTES[i].method, method) == 0)
            return &ROUTES[i];
        const char *m = ROUTES[i].method;
        if (used > 0 && strstr(allow, m) != NULL)
            continue; /* the same method from a broader pattern (the dashboard's /{file}) */
        int w = snprintf(allow + used, allow_len - used, "%s%s%s", used ? ", " : "", m,
                         strcmp(m, "GET") == 0 ? ", HEAD" : "");
        if (w > 0 && (size_t)w < allow_len - used)
            used += (size_t)w;
    }
    return NULL;
}
