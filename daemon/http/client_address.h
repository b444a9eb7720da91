/*
 * client_address.h: from where a request comes, for the audit trail.
 *
 * The address is the connection's peer, unless that peer is one of [server]
 * trusted_proxies: then the client is taken from X-Forwarded-For, read from the right
 * (the end the proxy wrote) past the addresses of further trusted proxies; the first other
 * address is the client, and the peer is kept as the proxy it came through. Without
 * trusted proxies (the default) X-Forwarded-For is never read: any client could write one.
 * A header value that is not an address ends the walk there (the last trusted address
 * stands for the client, so a forged entry never becomes the client).
 */
#ifndef LVHCMON_HTTP_CLIENT_ADDRESS_H
#define LVHCMON_HTTP_CLIENT_ADDRESS_H

#include <microhttpd.h>

#include "audit.h"
#include "config_parse.h"

/**
 * @param connection the request's connection
 * @param trusted [server] trusted_proxies
 * @param client receives the client's numeric address ("" when unknown)
 * @param proxy receives the trusted proxy's address, "" when the client connected directly
 */
void http_client_address(struct MHD_Connection *connection, const lv_address_list *trusted,
                         char client[AUDIT_ADDRESS_LEN], char proxy[AUDIT_ADDRESS_LEN]);

/**
 * The walk over X-Forwarded-For of the file comment, on its own (for the unit tests).
 * @param peer the connection's peer (a trusted proxy)
 * @param forwarded every X-Forwarded-For value, joined by ',' in the order received
 * @param client receives the client's address
 */
void http_forwarded_client(const lv_address_list *trusted, const char *peer, const char *forwarded,
                           char client[AUDIT_ADDRESS_LEN]);

#endif
