/* provider_declarations_csv_get.c: placeholder, replaced below. */
#include "http/handlers.h"
#include "http/reply.h"

enum MHD_Result http_handler_provider_declarations_csv_get(http_request *req)
{
    return http_reply_error(req, LV_HTTP_NOT_FOUND, NULL, "not yet");
}
