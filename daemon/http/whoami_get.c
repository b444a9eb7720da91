/*
 * whoami_get.c: GET /api/v1/whoami. Who the presented token speaks for: lets an operator
 * check a freshly created token, and a client discover its role and provider.
 */
#include "http/handlers.h"
#include "http/reply.h"

enum MHD_Result http_handler_whoami_get(http_request *req)
{
    const auth_principal *p = &req->principal;
    return http_reply_json(req, MHD_HTTP_OK,
                           json_pack("{s:s, s:s?, s:I, s:s}", "role", auth_role_name(p->role),
                                     "provider_agb",
                                     p->provider_agb[0] != '\0' ? p->provider_agb : NULL,
                                     "token_id", (json_int_t)p->token_id, "label", p->label));
}
