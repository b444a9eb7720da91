/*
 * request.c: the accessors of a request (see request.h).
 */
#include "http/request.h"

#include <string.h>
#include <strings.h>

#include "http/client_address.h"
#include "http/routes.h"

const char *http_request_param(const http_request *req, const char *name)
{
    if (req->route == NULL)
        return NULL;
    size_t name_len = strlen(name);
    const char *p = req->route->pattern;
    for (size_t i = 0; *p == '/' && i < req->n_segments; i++) {
        p++;
        size_t len = strcspn(p, "/");
        if (len == name_len + 2 && p[0] == '{' && strncmp(p + 1, name, name_len) == 0 &&
            p[len - 1] == '}')
            return req->segments[i];
        p += len;
    }
    return NULL;
}

const char *http_request_query(const http_request *req, const char *key)
{
    return MHD_lookup_connection_value(req->connection, MHD_GET_ARGUMENT_KIND, key);
}

const char *http_request_header(const http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->connection, MHD_HEADER_KIND, name);
}

void http_request_addresses(http_request *req, const char **client, const char **proxy)
{
    if (!req->addresses_known) {
        http_client_address(req->connection, &req->config->trusted_proxies, req->client_address,
                            req->proxy_address);
        req->addresses_known = true;
    }
    *client = req->client_address;
    *proxy = req->proxy_address;
}

bool http_request_has_role(const http_request *req, unsigned roles)
{
    return req->authenticated && (req->principal.role & roles) != 0;
}

db_conn *http_request_db(http_request *req)
{
    if (req->db == NULL) {
        lv_error_clear(&req->db_error);
        req->db = db_pool_get(req->app->pool, &req->db_error);
    }
    return req->db;
}

const lv_error *http_request_db_error(const http_request *req)
{
    return &req->db_error;
}

bool http_request_content_type_is(const http_request *req, const char *type)
{
    const char *content_type = http_request_header(req, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!content_type)
        return false;
    size_t n = strcspn(content_type, ";");
    while (n > 0 && content_type[n - 1] == ' ')
        n--;
    return n == strlen(type) && strncasecmp(content_type, type, n) == 0;
}
