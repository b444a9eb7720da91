/*
 * client_address.c: the address a request comes from (see client_address.h).
 */
#include "http/client_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The peer's numeric address; an IPv4 address mapped into IPv6 (a dual-stack listener) is
 * written as IPv4, as the proxies list would name it. */
static void peer_address(const struct sockaddr *sa, char out[AUDIT_ADDRESS_LEN])
{
    out[0] = '\0';
    if (sa == NULL)
        return;
    if (sa->sa_family == AF_INET) {
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, AUDIT_ADDRESS_LEN);
    } else if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(a))
            inet_ntop(AF_INET, &a->s6_addr[12], out, AUDIT_ADDRESS_LEN);
        else
            inet_ntop(AF_INET6, a, out, AUDIT_ADDRESS_LEN);
    }
}

/* Normalises one X-Forwarded-For entry (trimmed) into @out. @return false when it is not
 * a numeric address. */
static bool forwarded_entry(const char *s, size_t n, char out[AUDIT_ADDRESS_LEN])
{
    while (n > 0 && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    char text[AUDIT_ADDRESS_LEN];
    if (n == 0 || n >= sizeof text)
        return false;
    memcpy(text, s, n);
    text[n] = '\0';
    unsigned char bin[16];
    if (inet_pton(AF_INET, text, bin) == 1)
        return inet_ntop(AF_INET, bin, out, AUDIT_ADDRESS_LEN) != NULL;
    if (inet_pton(AF_INET6, text, bin) == 1)
        return inet_ntop(AF_INET6, bin, out, AUDIT_ADDRESS_LEN) != NULL;
    return false;
}

void http_forwarded_client(const lv_address_list *trusted, const char *peer, const char *forwarded,
                           char client[AUDIT_ADDRESS_LEN])
{
    snprintf(client, AUDIT_ADDRESS_LEN, "%s", peer);
    size_t end = strlen(forwarded);
    while (end > 0) {
        size_t start = end;
        while (start > 0 && forwarded[start - 1] != ',')
            start--;
        char entry[AUDIT_ADDRESS_LEN];
        if (!forwarded_entry(forwarded + start, end - start, entry))
            return; /* not an address: the last trusted one stands */
        snprintf(client, AUDIT_ADDRESS_LEN, "%s", entry);
        if (!config_address_listed(trusted, entry))
            return; /* the first address no trusted proxy wrote */
        end = start > 0 ? start - 1 : 0;
    }
}

typedef struct {
    char text[1024];
    size_t len;
} forwarded_values;

static enum MHD_Result collect_forwarded(void *cls, enum MHD_ValueKind kind, const char *key,
                                         const char *value)
{
    (void)kind;
    forwarded_values *f = cls;
    if (key == NULL || value == NULL || strcasecmp(key, "X-Forwarded-For") != 0)
        return MHD_YES;
    size_t n = strlen(value);
    /* Keep the end: the right-most entries are the ones proxies wrote. */
    if (f->len + n + 2 > sizeof f->text) {
        f->len = 0;
        if (n + 1 > sizeof f->text) {
            value += n - (sizeof f->text - 2);
            n = sizeof f->text - 2;
            value += strcspn(value, ","); /* start at a whole entry */
            n = strlen(value);
        }
    }
    if (f->len > 0)
        f->text[f->len++] = ',';
    memcpy(f->text + f->len, value, n);
    f->len += n;
    f->text[f->len] = '\0';
    return MHD_YES;
}

void http_client_address(struct MHD_Connection *connection, const lv_address_list *trusted,
                         char client[AUDIT_ADDRESS_LEN], char proxy[AUDIT_ADDRESS_LEN])
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char peer[AUDIT_ADDRESS_LEN];
    peer_address(info != NULL ? info->client_addr : NULL, peer);
    proxy[0] = '\0';
    if (trusted->n == 0 || !config_address_listed(trusted, peer)) {
        snprintf(client, AUDIT_ADDRESS_LEN, "%s", peer);
        return;
    }
    forwarded_values f = {.len = 0};
    f.text[0] = '\0';
    MHD_get_connection_values(connection, MHD_HEADER_KIND, collect_forwarded, &f);
    if (f.len == 0) { /* the proxy itself, or one that does not say */
        snprintf(client, AUDIT_ADDRESS_LEN, "%s", peer);
        return;
    }
    http_forwarded_client(trusted, peer, f.text, client);
    snprintf(proxy, AUDIT_ADDRESS_LEN, "%s", peer);
}
