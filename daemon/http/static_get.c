/*
 * static_get.c: GET / and GET /{file}: the dashboard page and its scripts and styles from
 * [server] web_dir. Every answer carries a Content-Security-Policy that allows nothing but
 * this origin (no inline script, no inline style, no outside requests), must be
 * revalidated (no-cache + ETag, 304 on If-None-Match) so a new deployment shows at once.
 */
#include <string.h>

#include "http/handlers.h"
#include "http/reply.h"
#include "http/static_files.h"

#define CSP                                                                                        \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "              \
    "connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; "             \
    "base-uri 'none'; form-action 'self'"

#ifndef LVHCMON_DEFAULT_WEB_DIR
#define LVHCMON_DEFAULT_WEB_DIR "web"
#endif

enum MHD_Result http_handler_static_get(http_request *req)
{
    const char *name = http_request_param(req, "file");
    if (!name)
        name = "index.html";
    const char *dir = req->config->web_dir ? req->config->web_dir : LVHCMON_DEFAULT_WEB_DIR;
    const static_file *f = static_files_find(dir, name);
    if (!f)
        return http_reply_error(req, LV_HTTP_NOT_FOUND, NULL, "no such page");
    const http_header headers[] = {
        {"Content-Security-Policy", CSP}, {"ETag", f->etag},
        {"Cache-Control", "no-cache"},    {"Referrer-Policy", "no-referrer"},
        {"X-Frame-Options", "DENY"},      {NULL, NULL}};
    const char *match = http_request_header(req, "If-None-Match");
    if (match && strstr(match, f->etag))
        return http_reply(req, MHD_HTTP_NOT_MODIFIED, f->content_type, NULL, 0, headers);
    return http_reply(req, MHD_HTTP_OK, f->content_type, f->body, f->len, headers);
}
