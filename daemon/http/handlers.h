/*
 * handlers.h: every HTTP handler, one per resource and verb, each defined in
 * daemon/http/<resource>_<verb>.c and listed in the routing table of routes.c.
 */
#ifndef LVHCMON_HTTP_HANDLERS_H
#define LVHCMON_HTTP_HANDLERS_H

#include "http/request.h"

/** GET /healthz: the process is alive. Always 200 {"status":"ok"}. */
enum MHD_Result http_handler_healthz_get(http_request *req);

/** GET /readyz: 200 when the database answers and its schema is current, else 503. */
enum MHD_Result http_handler_readyz_get(http_request *req);

/** GET /api/v1/whoami: the role and provider of the presented token. */
enum MHD_Result http_handler_whoami_get(http_request *req);

/** POST /api/v1/declarations: a JSON submission; 201 new, 200 replay, 409, 422. */
enum MHD_Result http_handler_declarations_post(http_request *req);

/** POST /api/v1/declarations/aw319: an AW319 file as the body. */
enum MHD_Result http_handler_declarations_aw319_post(http_request *req);

/** GET /api/v1/declarations/{id}: one submission with its lines, paged. */
enum MHD_Result http_handler_declaration_get(http_request *req);

/** GET /api/v1/providers/{agb}/declarations: a provider's lines, filtered and paged. */
enum MHD_Result http_handler_provider_declarations_get(http_request *req);

#endif
